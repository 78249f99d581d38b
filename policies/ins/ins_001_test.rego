package obsgate.rules.ins_001_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.ins_001

no_requests := "fraud-detector declares no request counter: add a counter with role: requests, or one whose name contains request, inference, predict or prediction (e.g. inference_requests_total)"

no_latency := "fraud-detector declares no latency histogram: add a histogram with role: latency, or one whose name contains latency or duration (e.g. inference_latency_seconds)"

no_errors(on) := sprintf("fraud-detector declares no error signal: add a counter with role: errors (or a name containing error or fail), or a status, status_code, code, http_status, grpc_code, outcome, result or error label on %s", [on])

finding(key, message) := {"rule": "INS-001", "message": message, "pointer": "/metrics", "key": key}

plain_requests := fx.metric("fraud_inference_requests_total", "counter", [fx.label("model", 1)])

test_the_example_passes if {
	count(ins_001.findings) == 0 with input as fx.healthy
}

test_nothing_declared if {
	ins_001.findings == {
		finding("requests", no_requests),
		finding("errors", no_errors("the request counter")),
		finding("latency", no_latency),
	} with input as fx.model_input([])
}

test_the_findings_at_metrics_differ_by_the_missing_signal if {
	found := ins_001.findings with input as fx.model_input([])
	count(found) == 3
	{f.pointer | some f in found} == {"/metrics"}
	{f.key | some f in found} == {"requests", "errors", "latency"}
}

test_request_counter_without_status_label_and_no_error_counter if {
	ins_001.findings == {finding("errors", no_errors("the request counter fraud_inference_requests_total"))} with input as fx.model_input([plain_requests, fx.latency])
}

test_several_request_counters_are_all_named if {
	ins_001.findings == {finding("errors", no_errors("one of the request counters a_requests_total, b_predictions_total"))} with input as fx.model_input([
		fx.metric("a_requests_total", "counter", []),
		fx.metric("b_predictions_total", "counter", []),
		fx.latency,
	])
}

test_an_error_counter_is_an_error_signal if {
	count(ins_001.findings) == 0 with input as fx.model_input([
		plain_requests,
		fx.metric("fraud_inference_failures_total", "counter", []),
		fx.latency,
	])
}

test_every_status_label_name_counts if {
	every name in ["status", "status_code", "code", "http_status", "grpc_code", "outcome", "result", "error", "Status"] {
		m := fx.metric("fraud_inference_requests_total", "counter", [fx.label(name, 3)])
		count(ins_001.findings) == 0 with input as fx.model_input([m, fx.latency])
	}
}

test_a_status_label_on_another_metric_does_not_count if {
	other := fx.metric("fraud_cache_hits_total", "counter", [fx.label("status", 2)])
	ins_001.findings == {finding("errors", no_errors("the request counter fraud_inference_requests_total"))} with input as fx.model_input([plain_requests, other, fx.latency])
}

test_roles_satisfy_every_signal if {
	count(ins_001.findings) == 0 with input as fx.model_input([
		fx.with_role(fx.metric("served_total", "counter", []), "requests"),
		fx.with_role(fx.metric("rejected_total", "counter", []), "errors"),
		fx.with_role(fx.histogram("served_seconds", [], [0.1, 1]), "latency"),
	])
}

test_a_declared_role_overrides_the_name if {
	m := fx.with_role(fx.metric("fraud_inference_requests_total", "counter", [fx.label("status_code", 6)]), "throughput")
	ins_001.findings == {finding("requests", no_requests), finding("errors", no_errors("the request counter"))} with input as fx.model_input([m, fx.latency])
}

test_a_latency_gauge_is_not_a_histogram if {
	gauge := fx.metric("fraud_inference_latency_seconds", "gauge", [])
	ins_001.findings == {finding("latency", no_latency)} with input as fx.model_input([fx.requests, gauge])
}

test_a_latency_summary_satisfies_ins_001 if {
	s := fx.summary("fraud_inference_duration_seconds", [], [0.5, 0.99])
	count(ins_001.findings) == 0 with input as fx.model_input([fx.requests, s])
}

triton_metrics := [
	fx.metric("nv_inference_request_success", "counter", [fx.label("model", 1)]),
	fx.metric("nv_inference_request_failure", "counter", [fx.label("model", 1)]),
	fx.metric("nv_inference_request_duration_us", "counter", [fx.label("model", 1)]),
]

test_framework_native_names_count_when_the_framework_is_declared if {
	inp := fx.model_input_with(triton_metrics, {"model": object.union(fx.model, {"framework": "triton"})})
	count(ins_001.findings) == 0 with input as inp
}

test_framework_native_names_do_not_count_without_the_framework if {
	ins_001.findings == {finding("latency", no_latency)} with input as fx.model_input(triton_metrics)
}

test_kserve_histogram_is_request_counter_and_latency if {
	inp := fx.model_input_with(
		[fx.histogram("request_predict_seconds", [fx.label("model_name", 1)], [0.1, 1])],
		{"model": object.union(fx.model, {"framework": "kserve"})},
	)
	ins_001.findings == {finding("errors", no_errors("the request counter request_predict_seconds"))} with input as inp
}
