# Metric names that a serving framework emits itself (POLICIES.md, "Serving frameworks"). They are
# exempt from the naming rules (INS-003, INS-004) and from COR-005 (the framework sets its own model
# label), and count as the framework's request, error and latency signals for INS-001, when the
# manifest declares that framework.
package obsgate.lib.frameworks

# framework -> signal -> the names the framework emits for it. `other` holds the rest of what the
# framework exports (queue times, batch sizes, GPU use): native, so exempt from the naming rules and
# known to ALR-013, but no request, error or latency signal for INS-001.
signals := {
	"kserve": {
		"requests": {"request_predict_seconds_count"},
		"errors": set(),
		"latency": {
			"request_predict_seconds",
			"request_preprocess_seconds",
			"request_postprocess_seconds",
			"request_explain_seconds",
		},
		"other": set(),
	},
	# MLServer's counters as declared and as Prometheus stores them (prometheus_client appends
	# _total); its REST metrics come from starlette_exporter with the prefix rest_server.
	"mlserver": {
		"requests": {
			"model_infer_request_success", "model_infer_request_success_total",
			"seldon_model_infer_total",
		},
		"errors": {"model_infer_request_failure", "model_infer_request_failure_total"},
		"latency": {
			"rest_server_requests_duration_seconds", "rest_server_request_duration_seconds",
			"seldon_model_infer_api_seconds",
		},
		"other": {
			"model_infer_request_duration", "rest_server_requests_total", "rest_server_requests_in_progress",
			"batch_request_queue", "parallel_request_queue",
			"seldon_model_infer_seconds_total", "seldon_model_aggregate_infer_total",
			"seldon_model_aggregate_infer_seconds_total",
		},
	},
	"triton": {
		"requests": {"nv_inference_request_success"},
		"errors": {"nv_inference_request_failure"},
		"latency": {"nv_inference_request_duration_us"},
		"other": {
			"nv_inference_request_summary_us", "nv_inference_count", "nv_inference_exec_count", "nv_inference_pending_request_count",
			"nv_inference_queue_duration_us", "nv_inference_compute_input_duration_us",
			"nv_inference_compute_infer_duration_us", "nv_inference_compute_output_duration_us",
			"nv_inference_queue_summary_us", "nv_inference_compute_input_summary_us",
			"nv_inference_compute_infer_summary_us", "nv_inference_compute_output_summary_us",
			"nv_inference_first_response_histogram_ms",
			"nv_gpu_utilization", "nv_gpu_memory_total_bytes", "nv_gpu_memory_used_bytes",
			"nv_gpu_power_usage", "nv_gpu_power_limit", "nv_energy_consumption",
			"nv_cpu_utilization", "nv_cpu_memory_total_bytes", "nv_cpu_memory_used_bytes",
		},
	},
	"bentoml": {
		"requests": {"bentoml_service_request_total"},
		"errors": set(),
		"latency": {"bentoml_service_request_duration_seconds"},
		"other": {"bentoml_service_request_in_progress", "bentoml_service_adaptive_batch_size"},
	},
	"torchserve": {
		"requests": {"ts_inference_requests_total"},
		"errors": {"Requests5XX"},
		"latency": {"ts_inference_latency_microseconds"},
		"other": {
			"ts_queue_latency_microseconds", "Requests2XX", "Requests4XX",
			"QueueTime", "WorkerThreadTime", "WorkerLoadTime", "HandlerTime", "PredictionTime",
		},
	},
}

# Other spellings a manifest may use for a framework in the table.
aliases := {"seldon": "mlserver", "seldon-core": "mlserver", "seldon-core-2": "mlserver"}

# framework -> every metric name it emits itself.
native_metrics := {fw: names |
	some fw, s in signals
	names := ((s.requests | s.errors) | s.latency) | s.other
}

# The framework a name refers to, in the table's spelling.
canonical(fw) := object.get(aliases, lower(fw), lower(fw))

# The framework the model's manifest declares; undefined when it declares none.
declared := canonical(input.model.framework) if is_string(input.model.framework)

# True when `name` is emitted by framework `fw` itself.
is_native(fw, name) if {
	is_string(fw)
	name in native_metrics[canonical(fw)]
}

# True when `name` is what the declared framework emits for `signal` (requests, errors, latency).
is_native_signal(signal, name) if name in signals[declared][signal]

# True when some framework in the table emits `name` itself (ALR-013: a rule may read any of them).
is_known_native(name) if {
	some names in native_metrics
	name in names
}
