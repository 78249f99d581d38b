package obsgate.rules.cor_002_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.cor_002

logging(fields) := fx.example_with({"logs": fx.replaced(fx.example_logs, {"fields": fields})})

no_trace_id := {
	"rule": "COR-002",
	"severity": "error",
	"message": "logs.fields has no trace_id, so no log line can be tied to its trace; log it in every line and declare it",
	"pointer": "/logs/fields",
	"key": "trace_id",
}

no_span_id := {
	"rule": "COR-002",
	"severity": "warning",
	"message": "logs.fields has no span_id, so a log line cannot be tied to the span that wrote it; log it in every line and declare it",
	"pointer": "/logs/fields",
	"key": "span_id",
}

no_trace_flags := {
	"rule": "COR-002",
	"severity": "warning",
	"message": "logs.fields has no trace_flags, so a log line does not say whether its trace was sampled; log it in every line and declare it",
	"pointer": "/logs/fields",
	"key": "trace_flags",
}

test_the_example_passes if {
	count(cor_002.findings) == 0 with input as fx.example
}

test_no_trace_context_at_all if {
	cor_002.findings == {no_trace_id, no_span_id, no_trace_flags} with input as logging(["timestamp", "level", "message"])
}

test_the_findings_at_logs_fields_differ_by_the_missing_field if {
	found := cor_002.findings with input as logging(["timestamp"])
	count(found) == 3
	{f.pointer | some f in found} == {"/logs/fields"}
	{f.key | some f in found} == {"trace_id", "span_id", "trace_flags"}
}

test_a_missing_trace_id_is_an_error if {
	cor_002.findings == {no_trace_id} with input as logging(["span_id", "trace_flags"])
}

test_missing_span_id_and_trace_flags_are_warnings if {
	cor_002.findings == {no_span_id} with input as logging(["trace_id", "trace_flags"])
	cor_002.findings == {no_trace_flags} with input as logging(["trace_id", "span_id"])
}

test_not_checked_without_logs_or_a_model if {
	count(cor_002.findings) == 0 with input as fx.example_with({"logs": null})
	count(cor_002.findings) == 0 with input as fx.unowned([], [])
}
