package obsgate.lib.frameworks_test

import data.obsgate.lib.frameworks

test_every_table_name_is_native if {
	frameworks.is_native("kserve", "request_predict_seconds")
	frameworks.is_native("kserve", "request_predict_seconds_count")
	frameworks.is_native("mlserver", "model_infer_request_failure")
	frameworks.is_native("mlserver", "seldon_model_infer_api_seconds")
	frameworks.is_native("triton", "nv_inference_request_duration_us")
	frameworks.is_native("bentoml", "bentoml_service_request_duration_seconds")
	frameworks.is_native("torchserve", "ts_inference_latency_microseconds")
}

test_names_belong_to_their_own_framework_only if {
	not frameworks.is_native("kserve", "nv_inference_request_success")
	not frameworks.is_native("custom", "nv_inference_request_success")
	not frameworks.is_native(null, "nv_inference_request_success")
}

test_aliases_and_case if {
	frameworks.is_native("seldon", "model_infer_request_success")
	frameworks.is_native("Triton", "nv_inference_request_success")
}

test_declared_reads_the_model if {
	frameworks.declared == "mlserver" with input as {"model": {"framework": "Seldon"}}
	not frameworks.declared with input as {"model": {"framework": null}}
}

test_native_signal_follows_the_declared_framework if {
	frameworks.is_native_signal("latency", "nv_inference_request_duration_us") with input as {"model": {"framework": "triton"}}
	not frameworks.is_native_signal("latency", "nv_inference_request_duration_us") with input as {"model": {"framework": "kserve"}}
	not frameworks.is_native_signal("requests", "nv_inference_request_duration_us") with input as {"model": {"framework": "triton"}}
}

test_known_native_looks_at_every_framework if {
	frameworks.is_known_native("nv_inference_request_success")
	frameworks.is_known_native("request_predict_seconds")
	not frameworks.is_known_native("fraud_inference_requests_total")
}

test_the_rest_of_what_a_framework_exports_is_native_but_no_signal if {
	triton := {"model": {"framework": "triton"}}
	frameworks.is_native("triton", "nv_inference_queue_duration_us")
	frameworks.is_native("mlserver", "rest_server_request_duration_seconds")
	frameworks.is_native("torchserve", "ts_queue_latency_microseconds")
	frameworks.is_known_native("nv_inference_exec_count")
	not frameworks.is_native_signal("latency", "nv_inference_queue_duration_us") with input as triton
	not frameworks.is_native_signal("requests", "nv_inference_count") with input as triton
}

test_mlserver_counters_as_prometheus_stores_them if {
	mlserver := {"model": {"framework": "mlserver"}}
	frameworks.is_native_signal("requests", "model_infer_request_success_total") with input as mlserver
	frameworks.is_native_signal("errors", "model_infer_request_failure_total") with input as mlserver
	frameworks.is_native_signal("latency", "rest_server_request_duration_seconds") with input as mlserver
}
