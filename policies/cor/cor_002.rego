# COR-002: structured logs carry the trace context (trace_id, span_id, trace_flags), so a log line
# leads to its trace and a trace to its log lines.
package obsgate.rules.cor_002

metadata := {
	"id": "COR-002",
	"title": "Structured logs carry the trace context",
	"severity": "error",
	"description": concat(" ", [
		"When the manifest declares structured logs, their `fields` must include `trace_id`",
		"(error without it: no log line can be tied to a trace), and should include `span_id` and",
		"`trace_flags` (warning without each: the line cannot be tied to its span, nor told sampled",
		"from unsampled) (OpenTelemetry, trace context in non-OTLP log formats).",
	]),
	"remediation": concat(" ", [
		"Log the active span's context in every line (the OpenTelemetry logging instrumentation",
		"or a log formatter adds trace_id, span_id and trace_flags) and list the three fields in",
		"the manifest's `logs.fields`.",
	]),
	"docs": "docs/rules/COR-002.md",
	"waivable": true,
	"family": "COR",
}

# field -> [severity of its absence, what it is for]
required := {
	"trace_id": ["error", "no log line can be tied to its trace"],
	"span_id": ["warning", "a log line cannot be tied to the span that wrote it"],
	"trace_flags": ["warning", "a log line does not say whether its trace was sampled"],
}

fields := {x | some x in input.logs.fields}

# Every finding points at /logs/fields; the missing field is its key.
findings contains f if {
	input.model != null
	is_object(input.logs)
	some field, [severity, why] in required
	not field in fields
	f := {
		"rule": "COR-002",
		"severity": severity,
		"message": sprintf("logs.fields has no %s, so %s; log it in every line and declare it", [field, why]),
		"pointer": "/logs/fields",
		"key": field,
	}
}
