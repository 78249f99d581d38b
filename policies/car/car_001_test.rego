package obsgate.rules.car_001_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.car_001

with_label(name) := fx.model_input([fx.metric("fraud_inference_requests_total", "counter", [fx.label("model", 1), fx.label(name, 100)])])

flagged(name) if count(car_001.findings) == 1 with input as with_label(name)

test_the_example_passes if {
	count(car_001.findings) == 0 with input as fx.healthy
}

test_a_user_id_label if {
	car_001.findings == {{
		"rule": "CAR-001",
		"message": "label user_id on metric fraud_inference_requests_total holds user ids, an unbounded dimension: every distinct value creates a new time series; remove the label and record the value in logs or trace attributes",
		"pointer": "/metrics/0/labels/1",
	}} with input as with_label("user_id")
}

test_a_client_ip_label if {
	car_001.findings == {{
		"rule": "CAR-001",
		"message": "label client_ip on metric fraud_inference_requests_total holds IP addresses, an unbounded dimension: every distinct value creates a new time series; remove the label and record the value in logs or trace attributes",
		"pointer": "/metrics/0/labels/1",
	}} with input as with_label("client_ip")
}

test_id_names_are_flagged if {
	every name in ["request_id", "requestid", "trace_id", "span_id", "user_id", "userid", "session_id", "http_request_id", "Request_ID", "TraceId"] {
		flagged(name)
	}
}

test_value_names_are_flagged if {
	every name in ["email", "customer_email", "ip", "client_ip", "url", "http_url", "path", "uuid", "prompt", "user_prompt", "input", "output", "EMAIL"] {
		flagged(name)
	}
}

test_bounded_names_pass if {
	every name in ["zip", "model_version", "model", "region", "status_code", "paid", "valid", "ip_version", "pathway", "input_type", "trace_sampled", "user_tier", "ids"] {
		not flagged(name)
	}
}

test_every_label_of_every_metric_is_checked if {
	inp := fx.model_input([
		fx.metric("a_total", "counter", [fx.label("session_id", 10)]),
		fx.histogram("b_seconds", [fx.label("model", 1), fx.label("url", 10), fx.label("prompt", 10)], [1]),
	])
	{f.pointer | some f in car_001.findings} == {"/metrics/0/labels/0", "/metrics/1/labels/1", "/metrics/1/labels/2"} with input as inp
}
