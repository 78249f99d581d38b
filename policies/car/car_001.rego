# CAR-001: no metric label holds an unbounded dimension (ids, emails, addresses, prompts, …).
package obsgate.rules.car_001

metadata := {
	"id": "CAR-001",
	"title": "No unbounded labels on metrics",
	"severity": "error",
	"description": concat(" ", [
		"A label whose name says it holds request, trace, span, user or session ids, emails, IP",
		"addresses, URLs, paths, UUIDs, prompts or model inputs/outputs takes a new value with",
		"(almost) every request, and each value is a new time series. Prometheus naming practices:",
		"do not use labels to store dimensions with high cardinality.",
	]),
	"remediation": concat(" ", [
		"Remove the label from the metric and record the value where per-request data belongs:",
		"a structured log field or a span attribute (e.g. `request_id` in logs, joined to metrics",
		"through exemplars or trace ids). Keep only bounded labels such as `model`, `region` or",
		"`status_code`.",
	]),
	"docs": "docs/rules/CAR-001.md",
	"waivable": true,
	"family": "CAR",
}

# Whole-name patterns, matched against the lower-cased label name (POLICIES.md, CAR-001).
id_pattern := `^(.*_)?(request|trace|span|user|session)_?id$`

value_pattern := `^(.*_)?(email|ip|url|path|uuid|prompt|input|output)$`

# What a label of each kind holds, for the message.
kinds := {
	"request": "request ids",
	"trace": "trace ids",
	"span": "span ids",
	"user": "user ids",
	"session": "session ids",
	"email": "email addresses",
	"ip": "IP addresses",
	"url": "URLs",
	"path": "paths",
	"uuid": "UUIDs",
	"prompt": "prompts",
	"input": "model inputs",
	"output": "model outputs",
}

# The kind of unbounded value a label name announces; undefined for a bounded-looking name.
kind(name) := kinds[match[0][2]] if {
	match := regex.find_all_string_submatch_n(id_pattern, lower(name), 1)
	count(match) > 0
} else := kinds[match[0][2]] if {
	match := regex.find_all_string_submatch_n(value_pattern, lower(name), 1)
	count(match) > 0
}

findings contains f if {
	some i, m in input.metrics
	some j, l in m.labels
	k := kind(l.name)
	f := {
		"rule": "CAR-001",
		"message": sprintf("label %s on metric %s holds %s, an unbounded dimension: every distinct value creates a new time series; remove the label and record the value in logs or trace attributes", [l.name, m.name, k]),
		"pointer": sprintf("/metrics/%d/labels/%d", [i, j]),
	}
}
