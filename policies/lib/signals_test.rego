package obsgate.lib.signals_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.lib.signals

no_framework := {"model": {"framework": null}}

test_request_counter_by_name if {
	signals.is_request_counter(fx.metric("model_predictions_total", "counter", [])) with input as no_framework
	signals.is_request_counter(fx.metric("inference_requests_total", "counter", [])) with input as no_framework
	signals.is_request_counter(fx.metric("Model_Predict_Total", "counter", [])) with input as no_framework
}

test_request_words_on_failure_counters_do_not_count if {
	not signals.is_request_counter(fx.metric("inference_errors_total", "counter", [])) with input as no_framework
	not signals.is_request_counter(fx.metric("inference_requests_failed_total", "counter", [])) with input as no_framework
}

test_request_counter_must_be_a_counter if {
	not signals.is_request_counter(fx.metric("inference_requests_in_flight", "gauge", [])) with input as no_framework
}

test_declared_role_wins_over_the_name if {
	signals.is_request_counter(fx.with_role(fx.metric("served_total", "counter", []), "requests")) with input as no_framework
	not signals.is_request_counter(fx.with_role(fx.metric("inference_requests_total", "counter", []), "throughput")) with input as no_framework
	signals.is_error_counter(fx.with_role(fx.metric("bad_total", "counter", []), "errors")) with input as no_framework
	not signals.is_error_counter(fx.with_role(fx.metric("inference_errors_total", "counter", []), "requests")) with input as no_framework
	signals.is_latency(fx.with_role(fx.histogram("served_seconds", [], [1]), "latency")) with input as no_framework
}

test_error_counter_by_name if {
	signals.is_error_counter(fx.metric("inference_errors_total", "counter", [])) with input as no_framework
	signals.is_error_counter(fx.metric("predict_failures_total", "counter", [])) with input as no_framework
	not signals.is_error_counter(fx.metric("inference_error_ratio", "gauge", [])) with input as no_framework
}

test_status_labels if {
	m := fx.metric("inference_requests_total", "counter", [fx.label("model", 1), fx.label("Status_Code", 6), fx.label("outcome", 2)])
	signals.status_label_names(m) == {"Status_Code", "outcome"}
}

test_latency_by_name_and_type if {
	signals.is_latency(fx.histogram("inference_latency_seconds", [], [1])) with input as no_framework
	signals.is_latency(fx.summary("request_duration_seconds", [], [0.5])) with input as no_framework
	not signals.is_latency(fx.metric("inference_latency_seconds", "gauge", [])) with input as no_framework
	not signals.is_latency(fx.histogram("payload_size_bytes", [], [1])) with input as no_framework
}

test_framework_native_signals if {
	triton := {"model": {"framework": "triton"}}
	signals.is_latency(fx.metric("nv_inference_request_duration_us", "counter", [])) with input as triton
	signals.is_error_counter(fx.metric("nv_inference_request_failure", "counter", [])) with input as triton
	not signals.is_latency(fx.metric("nv_inference_request_duration_us", "counter", [])) with input as no_framework
}

test_kserve_histogram_provides_its_request_count if {
	m := fx.histogram("request_predict_seconds", [], [0.1, 1])
	signals.is_request_counter(m) with input as {"model": {"framework": "kserve"}}
	not signals.is_request_counter(m) with input as no_framework
}
