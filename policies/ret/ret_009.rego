# RET-009: the retention a manifest declares for each signal is the one its backends enforce, so
# the declaration an auditor reads is true.
package obsgate.rules.ret_009

import data.obsgate.lib.fmt
import data.obsgate.lib.retention

metadata := {
	"id": "RET-009",
	"title": "Declared retention matches what the backends enforce",
	"severity": "error",
	"description": concat(" ", [
		"For each signal (metrics, logs, traces) whose retention the manifest declares and whose",
		"backend config obsgate read, the declared retention must equal the one the config",
		"actually enforces (Prometheus flags, config file or Operator spec; Loki limits and",
		"overrides; Tempo block_retention), defaults included. A backend that never deletes the",
		"data matches no declared value.",
	]),
	"remediation": concat(" ", [
		"Change the backend setting the finding names to the declared retention, or, when the",
		"backend is right, correct `retention.<signal>` in the manifest.",
	]),
	"docs": "docs/rules/RET-009.md",
	"waivable": true,
	"family": "RET",
}

signals := ["metrics", "logs", "traces"]

findings contains f if {
	input.model != null
	some signal in signals
	key := concat("", [signal, "Seconds"])
	declared := input.retention.declared[key]
	is_number(declared)
	eff := input.retention.effective[signal]
	is_object(eff)
	not same(declared, object.get(eff, "seconds", null))
	f := {
		"rule": "RET-009",
		"message": sprintf("the manifest declares %s kept %s, but %s: %s", [signal, fmt.duration(declared), enforced(eff), retention.where(eff)]),
		"pointer": sprintf("/retention/declared/%s", [key]),
	}
}

same(declared, seconds) if {
	is_number(seconds)
	declared == seconds
}

enforced(eff) := sprintf("%s keeps them %s", [retention.backend(eff), fmt.duration(eff.seconds)]) if {
	is_number(eff.seconds)
} else := sprintf("%s never deletes them", [retention.backend(eff)])
