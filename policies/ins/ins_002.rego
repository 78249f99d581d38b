# INS-002: metric and label names are valid in the Prometheus data model.
package obsgate.rules.ins_002

metadata := {
	"id": "INS-002",
	"title": "Metric and label names are valid Prometheus names",
	"severity": "error",
	"description": concat(" ", [
		"Metric names must match [a-zA-Z_][a-zA-Z0-9_]* (the data model also allows ':', but it is",
		"reserved for recording rules); label names must match [a-zA-Z_][a-zA-Z0-9_]* and must not",
		"start with '__', which Prometheus reserves for internal use.",
	]),
	"remediation": concat(" ", [
		"Rename the metric or label using only letters, digits and underscores, not starting with a",
		"digit: replace '-', '.', ':' and spaces with '_' (e.g. `inference.latency-ms` ->",
		"`inference_latency_ms`), and drop a leading '__' from label names.",
	]),
	"docs": "docs/rules/INS-002.md",
	"waivable": true,
	"family": "INS",
}

name_pattern := `^[a-zA-Z_][a-zA-Z0-9_]*$`

# A name that would be valid but for its colons.
colon_only(name) if {
	contains(name, ":")
	regex.match(name_pattern, replace(name, ":", "_"))
}

findings contains f if {
	some i, m in input.metrics
	colon_only(m.name)
	f := {
		"rule": "INS-002",
		"message": sprintf("metric name \"%s\" contains ':', which is reserved for recording rules; rename it to \"%s\"", [m.name, replace(m.name, ":", "_")]),
		"pointer": sprintf("/metrics/%d/name", [i]),
	}
}

findings contains f if {
	some i, m in input.metrics
	not regex.match(name_pattern, m.name)
	not colon_only(m.name)
	f := {
		"rule": "INS-002",
		"message": sprintf("metric name \"%s\" is not a valid Prometheus metric name: it must match %s%s", [m.name, name_pattern, colon_note(m.name)]),
		"pointer": sprintf("/metrics/%d/name", [i]),
	}
}

colon_note(name) := " (and ':' is reserved for recording rules)" if {
	contains(name, ":")
} else := ""

findings contains f if {
	some i, m in input.metrics
	some j, l in m.labels
	not regex.match(name_pattern, l.name)
	f := {
		"rule": "INS-002",
		"message": sprintf("label name \"%s\" on metric %s is not a valid Prometheus label name: it must match %s", [l.name, m.name, name_pattern]),
		"pointer": sprintf("/metrics/%d/labels/%d", [i, j]),
	}
}

findings contains f if {
	some i, m in input.metrics
	some j, l in m.labels
	regex.match(name_pattern, l.name)
	startswith(l.name, "__")
	f := {
		"rule": "INS-002",
		"message": sprintf("label name \"%s\" on metric %s starts with '__', which Prometheus reserves for internal use", [l.name, m.name]),
		"pointer": sprintf("/metrics/%d/labels/%d", [i, j]),
	}
}
