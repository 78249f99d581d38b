package obsgate.rules.ins_005_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.ins_005

test_the_example_passes if {
	count(ins_005.findings) == 0 with input as fx.healthy
}

test_a_latency_summary if {
	s := fx.summary("fraud_inference_latency_seconds", [fx.label("model", 1)], [0.5, 0.9, 0.99])
	ins_005.findings == {{
		"rule": "INS-005",
		"message": "latency metric fraud_inference_latency_seconds is a summary (quantiles 0.5, 0.9, 0.99): its quantiles cannot be aggregated across replicas; declare it as a histogram",
		"pointer": "/metrics/1/type",
	}} with input as fx.model_input([fx.requests, s])
}

test_a_summary_without_quantiles if {
	s := fx.summary("fraud_request_duration_seconds", [], null)
	ins_005.findings == {{
		"rule": "INS-005",
		"message": "latency metric fraud_request_duration_seconds is a summary: its quantiles cannot be aggregated across replicas; declare it as a histogram",
		"pointer": "/metrics/0/type",
	}} with input as fx.model_input([s])
}

test_a_summary_with_the_latency_role if {
	s := fx.with_role(fx.summary("fraud_serve_seconds", [], [0.5]), "latency")
	{f.pointer | some f in ins_005.findings} == {"/metrics/0/type"} with input as fx.model_input([s])
}

test_a_summary_that_is_not_latency_passes if {
	s := fx.summary("fraud_score", [], [0.5, 0.9])
	count(ins_005.findings) == 0 with input as fx.model_input([s])
}

test_a_native_latency_histogram_passes if {
	h := object.union(fx.histogram("fraud_inference_latency_seconds", [], null), {"native": true})
	count(ins_005.findings) == 0 with input as fx.model_input([h])
}
