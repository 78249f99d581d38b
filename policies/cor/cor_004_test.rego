package obsgate.rules.cor_004_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.cor_004

with_keys(fields, attributes) := fx.example_with({
	"logs": fx.replaced(fx.example_logs, {"fields": fields}),
	"traces": fx.replaced(fx.example_traces, {"attributes": attributes}),
})

test_the_example_passes if {
	count(cor_004.findings) == 0 with input as fx.example
}

test_logs_without_the_model_version if {
	cor_004.findings == {{
		"rule": "COR-004",
		"message": "logs.fields lacks model_version, so a log line cannot be tied to the model build that wrote it; log it in every inference log line and declare it",
		"pointer": "/logs/fields",
	}} with input as with_keys(["trace_id", "model_name"], ["model_name", "model_version"])
}

test_spans_without_either_key if {
	cor_004.findings == {{
		"rule": "COR-004",
		"message": "traces.attributes lacks model_name, model_version, so a span cannot be tied to the model build that served it; set them on every inference span and declare them",
		"pointer": "/traces/attributes",
	}} with input as with_keys(["model_name", "model_version"], ["cache_hit"])
}

test_both_signals if {
	{f.pointer | some f in cor_004.findings} == {"/logs/fields", "/traces/attributes"} with input as with_keys([], [])
}

test_the_keys_are_a_parameter if {
	inp := object.union(fx.example, {"params": {"cor_004": {"model_keys": ["gen_ai.request.model"]}}})
	{f.message | some f in cor_004.findings} == {
		"logs.fields lacks gen_ai.request.model, so a log line cannot be tied to the model build that wrote it; log it in every inference log line and declare it",
		"traces.attributes lacks gen_ai.request.model, so a span cannot be tied to the model build that served it; set it on every inference span and declare it",
	} with input as inp
}

test_signals_not_declared_are_not_checked if {
	count(cor_004.findings) == 0 with input as fx.example_with({"logs": null, "traces": null})
	count(cor_004.findings) == 0 with input as fx.unowned([], [])
}
