package obsgate.rules.alr_013_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.alr_013

reading(metrics) := fx.alert("FraudReads", "…", fx.query([fx.above(metrics, 300, 1)]))

with_rules(rules) := fx.example_with({"rules": rules})

test_the_example_passes if {
	count(alr_013.findings) == 0 with input as fx.example with data.fleet as fx.example_fleet
}

test_an_undeclared_metric if {
	alr_013.findings == {{
		"rule": "ALR-013",
		"message": "alert FraudReads reads fraud_requests_total, which no manifest declares, no recording rule produces and neither Prometheus nor a known serving framework emits",
		"pointer": "/rules/1/expr",
		"key": "fraud_requests_total",
	}} with input as with_rules([fx.example_rules[0], reading(["fraud_inference_requests_total", "fraud_requests_total"])])
		with data.fleet as fx.example_fleet
}

test_one_finding_per_unknown_metric if {
	rec := fx.record("fraud:errors:rate5m", "…", fx.query([fx.condition(["fraud_errors_total"], 300, null)]))
	{[f.pointer, f.key, f.message] | some f in alr_013.findings} == {
		["/rules/0/expr", "a_total", "alert FraudReads reads a_total, which no manifest declares, no recording rule produces and neither Prometheus nor a known serving framework emits"],
		["/rules/0/expr", "b_total", "alert FraudReads reads b_total, which no manifest declares, no recording rule produces and neither Prometheus nor a known serving framework emits"],
		["/rules/1/expr", "fraud_errors_total", "recording rule fraud:errors:rate5m reads fraud_errors_total, which no manifest declares, no recording rule produces and neither Prometheus nor a known serving framework emits"],
	} with input as with_rules([reading(["a_total", "b_total"]), rec]) with data.fleet as fx.example_fleet
}

test_unknown_metrics_of_one_rule_differ_by_their_name if {
	found := alr_013.findings with input as with_rules([reading(["a_total", "b_total"])]) with data.fleet as fx.example_fleet
	count(found) == 2
	{f.pointer | some f in found} == {"/rules/0/expr"}
	{f.key | some f in found} == {"a_total", "b_total"}
}

test_metrics_of_other_models_in_the_fleet_pass if {
	inp := with_rules([reading(["payments_requests_total"])])
	count(alr_013.findings) == 0 with input as inp with data.fleet as fx.fleet_data(["payments_requests_total"], [])
	count(alr_013.findings) == 1 with input as inp with data.fleet as fx.example_fleet
}

test_histogram_series_of_a_declared_histogram_pass if {
	count(alr_013.findings) == 0 with input as with_rules([reading([
		"fraud_inference_latency_seconds_bucket",
		"fraud_inference_latency_seconds_count",
		"fraud_inference_latency_seconds_sum",
	])])
		with data.fleet as fx.example_fleet
	count(alr_013.findings) == 1 with input as with_rules([reading(["fraud_inference_latency_seconds_max"])])
		with data.fleet as fx.example_fleet
}

# A summary exposes _count and _sum but no _bucket: histogram_quantile over its _bucket reads nothing.
test_only_the_series_a_metric_exposes_pass if {
	inp := with_rules([reading(["fraud_fetch_seconds_bucket"])])
	fleet := fx.fleet_data(["fraud_fetch_seconds", "fraud_fetch_seconds_count", "fraud_fetch_seconds_sum"], [])
	{f.message | some f in alr_013.findings} == {"alert FraudReads reads fraud_fetch_seconds_bucket, which no manifest declares, no recording rule produces and neither Prometheus nor a known serving framework emits"} with input as inp with data.fleet as fleet
}

# The fleet index is read from data.fleet only: a `fleet` left in the input (the old contract) counts for nothing.
test_a_fleet_in_the_input_is_ignored if {
	inp := fx.example_with({
		"rules": [reading(["payments_requests_total"])],
		"fleet": {"series": ["payments_requests_total"], "recorded": ["payments_requests_total"]},
	})
	{f.key | some f in alr_013.findings} == {"payments_requests_total"} with input as inp with data.fleet as fx.example_fleet
}

test_recorded_metrics_pass if {
	inp := with_rules([reading(["slo:sli_error:ratio_rate5m"])])
	count(alr_013.findings) == 0 with input as inp with data.fleet as fx.fleet_data(fx.example_series, ["slo:sli_error:ratio_rate5m"])
	count(alr_013.findings) == 1 with input as inp with data.fleet as fx.example_fleet
}

test_prometheus_own_series_pass if {
	count(alr_013.findings) == 0 with input as with_rules([reading([
		"up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
		"scrape_series_added", "ALERTS", "ALERTS_FOR_STATE",
	])])
		with data.fleet as fx.example_fleet
}

test_serving_framework_metrics_pass if {
	count(alr_013.findings) == 0 with input as with_rules([reading([
		"request_predict_seconds_bucket", "request_predict_seconds_count",
		"nv_inference_request_failure", "ts_inference_requests_total",
	])])
		with data.fleet as fx.example_fleet
}

test_rule_files_no_model_owns_are_not_checked if {
	count(alr_013.findings) == 0 with input as fx.unowned([reading(["anything_total"])], []) with data.fleet as fx.example_fleet
}
