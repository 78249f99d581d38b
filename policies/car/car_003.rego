# CAR-003: the model's Loki stream labels stay few and bounded: every distinct label set is a new
# stream, and ids belong in structured metadata, not in labels.
package obsgate.rules.car_003

import data.obsgate.lib.params

metadata := {
	"id": "CAR-003",
	"title": "Loki stream labels are few and hold no ids",
	"severity": "error",
	"description": concat(" ", [
		"The log stream labels (`logs.stream`) number at most `max_stream_labels` (default 15,",
		"Loki's default `max_label_names_per_series`), and none holds a request, trace, span, user",
		"or session id: each distinct label set is a separate Loki stream, so an id label creates a",
		"stream per request (Loki label best practices: use structured metadata for",
		"high-cardinality values).",
	]),
	"remediation": concat(" ", [
		"Keep only bounded labels on the stream (service, level, region, namespace) and send ids",
		"as structured metadata or log fields; query them with `| trace_id=\"…\"` instead of a",
		"stream selector. Change the limit with the tier's `CAR-003: { max_stream_labels: … }` parameter in .obsgate.yaml.",
	]),
	"docs": "docs/rules/CAR-003.md",
	"waivable": true,
	"family": "CAR",
}

max_labels := params.get("car_003", "max_stream_labels", 15)

# Whole-name pattern, matched against the lower-cased label name (as CAR-001's ids).
id_pattern := `^(.*_)?(request|trace|span|user|session)_?id$`

# A JSON pointer token for an object key (RFC 6901).
token(key) := replace(replace(key, "~", "~0"), "/", "~1")

stream := input.logs.stream if is_object(input.logs.stream)

findings contains f if {
	input.model != null
	n := count(stream)
	n > max_labels
	f := {
		"rule": "CAR-003",
		"message": sprintf("logs.stream has %d labels, above the limit of %d; keep the bounded ones as stream labels and send the rest as structured metadata", [n, max_labels]),
		"pointer": "/logs/stream",
	}
}

findings contains f if {
	input.model != null
	some name, _ in stream
	match := regex.find_all_string_submatch_n(id_pattern, lower(name), 1)
	count(match) > 0
	f := {
		"rule": "CAR-003",
		"message": sprintf("stream label %s holds %s ids: every distinct value creates a new Loki stream; send it as structured metadata instead", [name, match[0][2]]),
		"pointer": sprintf("/logs/stream/%s", [token(name)]),
	}
}
