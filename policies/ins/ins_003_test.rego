package obsgate.rules.ins_003_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.ins_003

with_framework(metrics, fw) := fx.model_input_with(metrics, {"model": object.union(fx.model, {"framework": fw})})

test_the_example_passes if {
	count(ins_003.findings) == 0 with input as fx.healthy
}

test_a_counter_without_total if {
	ins_003.findings == {{
		"rule": "INS-003",
		"message": "counter fraud_inference_requests does not end in _total; rename it to fraud_inference_requests_total",
		"pointer": "/metrics/1/name",
	}} with input as fx.model_input([fx.latency, fx.metric("fraud_inference_requests", "counter", [])])
}

test_total_only_counts_at_the_end if {
	{f.pointer | some f in ins_003.findings} == {"/metrics/0/name"} with input as fx.model_input([fx.metric("fraud_total_requests", "counter", [])])
}

test_a_gauge_ending_in_total if {
	ins_003.findings == {{
		"rule": "INS-003",
		"message": "gauge fraud_queue_depth_total ends in _total, which is reserved for counters; rename it to fraud_queue_depth",
		"pointer": "/metrics/0/name",
	}} with input as fx.model_input([fx.metric("fraud_queue_depth_total", "gauge", [])])
}

test_a_histogram_ending_in_total if {
	ins_003.findings == {{
		"rule": "INS-003",
		"message": "histogram fraud_latency_seconds_total ends in _total, which is reserved for counters; rename it to fraud_latency_seconds",
		"pointer": "/metrics/0/name",
	}} with input as fx.model_input([fx.histogram("fraud_latency_seconds_total", [], [1])])
}

triton := [
	fx.metric("nv_inference_request_success", "counter", []),
	fx.metric("nv_inference_request_duration_us", "counter", []),
]

test_framework_native_names_are_exempt if {
	count(ins_003.findings) == 0 with input as with_framework(triton, "triton")
	count(ins_003.findings) == 0 with input as with_framework(triton, "Triton")
	count(ins_003.findings) == 0 with input as with_framework([fx.metric("model_infer_request_success", "counter", [])], "seldon")
}

test_native_names_of_another_framework_are_not_exempt if {
	{f.pointer | some f in ins_003.findings} == {"/metrics/0/name", "/metrics/1/name"} with input as with_framework(triton, "kserve")
	{f.pointer | some f in ins_003.findings} == {"/metrics/0/name", "/metrics/1/name"} with input as fx.model_input(triton)
}

test_the_exemption_covers_only_native_names if {
	{f.pointer | some f in ins_003.findings} == {"/metrics/2/name"} with input as with_framework(
		array.concat(triton, [fx.metric("fraud_inference_requests", "counter", [])]),
		"triton",
	)
}
