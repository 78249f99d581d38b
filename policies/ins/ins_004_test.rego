package obsgate.rules.ins_004_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.ins_004

with_framework(metrics, fw) := fx.model_input_with(metrics, {"model": object.union(fx.model, {"framework": fw})})

test_the_example_passes if {
	count(ins_004.findings) == 0 with input as fx.healthy
}

test_milliseconds if {
	ins_004.findings == {{
		"rule": "INS-004",
		"message": "metric fraud_inference_latency_ms is named in milliseconds; Prometheus names use base units with a plural suffix: record seconds and rename it to fraud_inference_latency_seconds",
		"pointer": "/metrics/0/name",
	}} with input as fx.model_input([fx.histogram("fraud_inference_latency_ms", [], [10, 100])])
}

test_a_counter_keeps_its_total if {
	ins_004.findings == {{
		"rule": "INS-004",
		"message": "metric fraud_cpu_us_total is named in microseconds; Prometheus names use base units with a plural suffix: record seconds and rename it to fraud_cpu_seconds_total",
		"pointer": "/metrics/0/name",
	}} with input as fx.model_input([fx.metric("fraud_cpu_us_total", "counter", [])])
}

test_percent_becomes_a_ratio if {
	ins_004.findings == {{
		"rule": "INS-004",
		"message": "metric gpu_util_percent is named in percent; Prometheus names use base units with a plural suffix: record a 0-1 ratio and rename it to gpu_util_ratio",
		"pointer": "/metrics/0/name",
	}} with input as fx.model_input([fx.metric("gpu_util_percent", "gauge", [])])
}

test_megabytes_and_singular_units if {
	{f.message | some f in ins_004.findings} == {
		"metric model_size_MB is named in megabytes; Prometheus names use base units with a plural suffix: record bytes and rename it to model_size_bytes",
		"metric batch_wait_second is named in the singular second; Prometheus names use base units with a plural suffix: record seconds and rename it to batch_wait_seconds",
	} with input as fx.model_input([fx.metric("model_size_MB", "gauge", []), fx.metric("batch_wait_second", "gauge", [])])
}

test_only_the_unit_position_counts if {
	# `us` as a region, `ms` inside a word, a unit with nothing to measure: not units.
	count(ins_004.findings) == 0 with input as fx.model_input([
		fx.metric("us_east_requests_total", "counter", []),
		fx.metric("fraud_items_total", "counter", []),
		fx.metric("ms", "gauge", []),
		fx.metric("fraud_score_ratio", "gauge", []),
		fx.metric("payload_size_bytes", "histogram", []),
	])
}

test_framework_native_names_are_exempt if {
	triton := [fx.metric("nv_inference_request_duration_us", "counter", []), fx.metric("nv_inference_first_response_histogram_ms", "histogram", [])]
	count(ins_004.findings) == 0 with input as with_framework(triton, "triton")
	{f.pointer | some f in ins_004.findings} == {"/metrics/0/name", "/metrics/1/name"} with input as with_framework(triton, "kserve")
	{f.pointer | some f in ins_004.findings} == {"/metrics/0/name", "/metrics/1/name"} with input as fx.model_input(triton)
}
