# INS-003: counters end in _total, other metric types don't.
package obsgate.rules.ins_003

import data.obsgate.lib.frameworks

metadata := {
	"id": "INS-003",
	"title": "Counters end in _total, other types don't",
	"severity": "warning",
	"description": concat(" ", [
		"Prometheus naming practice: a counter's name ends in _total, and no gauge, histogram or",
		"summary name does, so that readers and linters can tell a counter from its name. Names a",
		"serving framework emits itself are exempt when the manifest declares that framework.",
	]),
	"remediation": concat(" ", [
		"Rename the counter to end in `_total` (e.g. `inference_requests` -> `inference_requests_total`),",
		"or drop `_total` from a gauge, histogram or summary (e.g. `queue_depth_total` -> `queue_depth`);",
		"if the name is emitted by your serving framework, declare `framework:` in the manifest.",
	]),
	"docs": "docs/rules/INS-003.md",
	"waivable": true,
	"family": "INS",
}

exempt(name) if frameworks.is_native(input.model.framework, name)

findings contains f if {
	some i, m in input.metrics
	m.type == "counter"
	not endswith(m.name, "_total")
	not exempt(m.name)
	f := {
		"rule": "INS-003",
		"message": sprintf("counter %s does not end in _total; rename it to %s_total", [m.name, m.name]),
		"pointer": sprintf("/metrics/%d/name", [i]),
	}
}

findings contains f if {
	some i, m in input.metrics
	m.type != "counter"
	endswith(m.name, "_total")
	not exempt(m.name)
	f := {
		"rule": "INS-003",
		"message": sprintf("%s %s ends in _total, which is reserved for counters; rename it to %s", [m.type, m.name, trim_suffix(m.name, "_total")]),
		"pointer": sprintf("/metrics/%d/name", [i]),
	}
}
