package obsgate.rules.car_002_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.car_002

counter_with(counts) := fx.metric("fraud_inference_requests_total", "counter", [fx.label(sprintf("l%d", [i]), n) | some i, n in counts])

severities := {[f.pointer, f.severity] | some f in car_002.findings}

test_the_example_passes if {
	count(car_002.findings) == 0 with input as fx.healthy
}

test_exactly_at_warn_passes if {
	count(car_002.findings) == 0 with input as fx.model_input([counter_with([10, 100])])
}

test_above_warn_is_a_warning if {
	car_002.findings == {{
		"rule": "CAR-002",
		"severity": "warning",
		"message": "fraud_inference_requests_total has 1,001 series (l0 7 × l1 11 × l2 13) — above the warning threshold of 1,000 per metric (maximum 10,000)",
		"pointer": "/metrics/0/labels",
	}} with input as fx.model_input([counter_with([7, 11, 13])])
}

test_exactly_at_max_is_a_warning if {
	severities == {["/metrics/0/labels", "warning"]} with input as fx.model_input([counter_with([100, 100])])
}

test_above_max_is_an_error if {
	h := fx.histogram(
		"fraud_latency_seconds",
		[fx.label("model", 1), fx.label("model_version", 3), fx.label("region", 12), fx.label("client", 30)],
		[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
	)
	car_002.findings == {{
		"rule": "CAR-002",
		"severity": "error",
		"message": "fraud_latency_seconds has 12,960 series (model 1 × model_version 3 × region 12 × client 30 × (9 buckets + 3)) — above the maximum of 10,000 per metric",
		"pointer": "/metrics/0/labels",
	}} with input as fx.model_input([h])
}

test_a_native_histogram_has_one_series_per_label_set if {
	h := object.union(fx.histogram("fraud_latency_seconds", [fx.label("region", 1000)], null), {"native": true})
	count(car_002.findings) == 0 with input as fx.model_input([h])
}

test_summaries_add_quantiles_sum_and_count if {
	s := fx.summary("fraud_latency_seconds", [fx.label("region", 200)], [0.5, 0.9, 0.99])
	car_002.findings == {{
		"rule": "CAR-002",
		"severity": "warning",
		"message": "fraud_latency_seconds has 1,000 series (region 200 × (3 quantiles + 2)) — above the warning threshold of 100 per metric (maximum 10,000)",
		"pointer": "/metrics/0/labels",
	}} with input as fx.model_input_with([s], {"params": {"car_002": {"warn": 100}}})
}

test_a_histogram_without_labels_points_at_its_buckets if {
	h := fx.histogram("fraud_latency_seconds", [], [1])
	car_002.findings == {{
		"rule": "CAR-002",
		"severity": "error",
		"message": "fraud_latency_seconds has 4 series (1 × (1 bucket + 3)) — above the maximum of 3 per metric",
		"pointer": "/metrics/0/buckets",
	}} with input as fx.model_input_with([h], {"params": {"car_002": {"warn": 1, "max": 3}}})
}

test_an_undeclared_label_count if {
	m := fx.metric("fraud_inference_requests_total", "counter", [fx.label("model", 1), fx.label("region", null), fx.label("tenant", 100000)])
	car_002.findings == {{
		"rule": "CAR-002",
		"severity": "error",
		"message": "label region on metric fraud_inference_requests_total declares no bounded value count, so the metric's series cannot be bounded; declare how many values it takes (e.g. region: 12)",
		"pointer": "/metrics/0/labels/1",
	}} with input as fx.model_input([m])
}

test_the_model_budget if {
	inp := fx.model_input([
		counter_with([90, 100]),
		fx.metric("b_total", "counter", [fx.label("x", 5000)]),
		fx.metric("c", "gauge", [fx.label("x", 7), fx.label("y", null)]),
		fx.metric("d", "gauge", []),
	])
	car_002.findings == {
		{
			"rule": "CAR-002",
			"severity": "error",
			"message": "fraud-detector declares 14,001 series across 3 metrics — above the model budget of 10,000 (largest: fraud_inference_requests_total 9,000, b_total 5,000, d 1); 1 metric with undeclared label counts not included",
			"pointer": "/metrics",
		},
		{
			"rule": "CAR-002",
			"severity": "error",
			"message": "label y on metric c declares no bounded value count, so the metric's series cannot be bounded; declare how many values it takes (e.g. y: 12)",
			"pointer": "/metrics/2/labels/1",
		},
	} with input as object.union(inp, {"params": {"car_002": {"warn": 10000, "model_budget": 10000}}})
}

test_the_model_budget_at_the_limit_passes if {
	inp := fx.model_input([counter_with([100, 100]), counter_with([100, 100]), counter_with([100, 100]), counter_with([100, 100]), counter_with([100, 100])])
	{f.pointer | some f in car_002.findings} == {"/metrics/0/labels", "/metrics/1/labels", "/metrics/2/labels", "/metrics/3/labels", "/metrics/4/labels"} with input as inp
}

test_missing_or_malformed_params_fall_back_to_defaults if {
	every params in [{}, {"car_002": null}, {"car_002": {"warn": "lots"}}, {"other": 1}] {
		severities == {["/metrics/0/labels", "warning"]} with input as fx.model_input_with([counter_with([1001])], {"params": params})
	}
	severities == {["/metrics/0/labels", "warning"]} with input as object.remove(fx.model_input([counter_with([1001])]), ["params"])
}

test_params_raise_the_limits if {
	count(car_002.findings) == 0 with input as fx.model_input_with([counter_with([1001])], {"params": {"car_002": {"warn": 2000}}})
}
