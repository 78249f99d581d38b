# Metric names that a serving framework emits itself (POLICIES.md, "Serving frameworks"). They are
# exempt from the naming rules (INS-003) and count as the framework's request, error and latency
# signals for INS-001 when the manifest declares that framework.
package obsgate.lib.frameworks

# framework -> signal -> the names the framework emits for it.
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
	},
	"mlserver": {
		"requests": {"model_infer_request_success", "seldon_model_infer_total"},
		"errors": {"model_infer_request_failure"},
		"latency": {"rest_server_requests_duration_seconds", "seldon_model_infer_api_seconds"},
	},
	"triton": {
		"requests": {"nv_inference_request_success"},
		"errors": {"nv_inference_request_failure"},
		"latency": {"nv_inference_request_duration_us"},
	},
	"bentoml": {
		"requests": {"bentoml_service_request_total"},
		"errors": set(),
		"latency": {"bentoml_service_request_duration_seconds"},
	},
	"torchserve": {
		"requests": {"ts_inference_requests_total"},
		"errors": set(),
		"latency": {"ts_inference_latency_microseconds"},
	},
}

# Other spellings a manifest may use for a framework in the table.
aliases := {"seldon": "mlserver", "seldon-core": "mlserver", "seldon-core-2": "mlserver"}

# framework -> every metric name it emits itself.
native_metrics := {fw: names |
	some fw, s in signals
	names := (s.requests | s.errors) | s.latency
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
