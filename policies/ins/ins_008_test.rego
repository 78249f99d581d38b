package obsgate.rules.ins_008_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.ins_008

genai_labels := [fx.label("gen_ai_operation_name", 2), fx.label("gen_ai_request_model", 3)]

duration := fx.histogram("gen_ai_server_request_duration_seconds", genai_labels, [0.5, 1, 5, 20, 60])

tokens := fx.histogram("gen_ai_client_token_usage", array.concat(genai_labels, [fx.label("gen_ai_token_type", 2)]), [16, 256, 4096])

generative(metrics) := fx.model_input_with(metrics, {"model": object.union(fx.model, {"type": "generative"})})

test_a_generative_model_with_both_metrics_passes if {
	count(ins_008.findings) == 0 with input as generative([duration, tokens])
}

test_predictive_models_are_not_checked if {
	count(ins_008.findings) == 0 with input as fx.healthy
	count(ins_008.findings) == 0 with input as fx.model_input_with([], {"model": object.union(fx.model, {"type": null})})
	count(ins_008.findings) == 0 with input as fx.unowned([], [])
}

test_a_missing_metric if {
	ins_008.findings == {{
		"rule": "INS-008",
		"message": "generative model fraud-detector does not declare gen_ai_client_token_usage (OpenTelemetry gen_ai.client.token.usage as Prometheus stores it); export it and declare it as a histogram with labels gen_ai_operation_name and gen_ai_request_model",
		"pointer": "/metrics",
		"key": "gen_ai_client_token_usage",
	}} with input as generative([duration])
}

test_both_missing if {
	{f.key | some f in ins_008.findings} == {"gen_ai_server_request_duration_seconds", "gen_ai_client_token_usage"} with input as generative([fx.requests, fx.latency])
}

test_missing_labels if {
	ins_008.findings == {{
		"rule": "INS-008",
		"message": "gen_ai_client_token_usage lacks gen_ai_request_model (OpenTelemetry gen_ai.request.model), so it cannot be read per operation and per model; keep the label when exporting and declare it",
		"pointer": "/metrics/1/labels",
	}} with input as generative([duration, fx.histogram("gen_ai_client_token_usage", [fx.label("gen_ai_operation_name", 2)], [16])])
}

test_optional_genai_metrics_need_the_labels_too if {
	ttft := fx.histogram("gen_ai_server_time_to_first_token_seconds", [fx.label("model", 1)], [0.1, 1])
	ins_008.findings == {{
		"rule": "INS-008",
		"message": "gen_ai_server_time_to_first_token_seconds lacks gen_ai_operation_name, gen_ai_request_model (OpenTelemetry gen_ai.operation.name, gen_ai.request.model), so it cannot be read per operation and per model; keep the labels when exporting and declare them",
		"pointer": "/metrics/2/labels",
	}} with input as generative([duration, tokens, ttft])
}
