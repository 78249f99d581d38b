package obsgate.rules.ins_002_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.ins_002

only(m) := fx.model_input([m])

test_the_example_passes if {
	count(ins_002.findings) == 0 with input as fx.healthy
}

test_valid_names_pass if {
	m := fx.metric("_Inference_requests_total2", "counter", [fx.label("_shard", 3), fx.label("Region9", 12)])
	count(ins_002.findings) == 0 with input as only(m)
}

test_a_colon_is_reserved_for_recording_rules if {
	ins_002.findings == {{
		"rule": "INS-002",
		"message": "metric name \"fraud:requests:rate5m\" contains ':', which is reserved for recording rules; rename it to \"fraud_requests_rate5m\"",
		"pointer": "/metrics/1/name",
	}} with input as fx.model_input([fx.requests, fx.metric("fraud:requests:rate5m", "gauge", [])])
}

test_invalid_characters if {
	ins_002.findings == {{
		"rule": "INS-002",
		"message": "metric name \"fraud.latency-ms\" is not a valid Prometheus metric name: it must match ^[a-zA-Z_][a-zA-Z0-9_]*$",
		"pointer": "/metrics/0/name",
	}} with input as only(fx.metric("fraud.latency-ms", "gauge", []))
}

test_invalid_characters_and_a_colon if {
	ins_002.findings == {{
		"rule": "INS-002",
		"message": "metric name \"job:fraud-latency\" is not a valid Prometheus metric name: it must match ^[a-zA-Z_][a-zA-Z0-9_]*$ (and ':' is reserved for recording rules)",
		"pointer": "/metrics/0/name",
	}} with input as only(fx.metric("job:fraud-latency", "gauge", []))
}

test_a_leading_digit_is_invalid if {
	{f.pointer | some f in ins_002.findings} == {"/metrics/0/name"} with input as only(fx.metric("9fraud_total", "counter", []))
}

test_an_empty_name_is_invalid if {
	{f.pointer | some f in ins_002.findings} == {"/metrics/0/name"} with input as only(fx.metric("", "counter", []))
}

test_invalid_label_name if {
	m := fx.metric("fraud_requests_total", "counter", [fx.label("model", 1), fx.label("region-code", 12)])
	ins_002.findings == {{
		"rule": "INS-002",
		"message": "label name \"region-code\" on metric fraud_requests_total is not a valid Prometheus label name: it must match ^[a-zA-Z_][a-zA-Z0-9_]*$",
		"pointer": "/metrics/0/labels/1",
	}} with input as only(m)
}

test_a_colon_is_invalid_in_a_label_name if {
	m := fx.metric("fraud_requests_total", "counter", [fx.label("model:name", 1)])
	{f.pointer | some f in ins_002.findings} == {"/metrics/0/labels/0"} with input as only(m)
}

test_label_names_starting_with_two_underscores_are_reserved if {
	m := fx.metric("fraud_requests_total", "counter", [fx.label("_ok", 1), fx.label("__name__", 1)])
	ins_002.findings == {{
		"rule": "INS-002",
		"message": "label name \"__name__\" on metric fraud_requests_total starts with '__', which Prometheus reserves for internal use",
		"pointer": "/metrics/0/labels/1",
	}} with input as only(m)
}
