package obsgate.rules.alr_011_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.alr_011

availability := fx.availability_slo

requests := fx.availability_metrics

# The example's model with only the availability SLO, guarded by `rules`.
guarded_by(rules) := fx.example_with({"slos": [availability], "rules": rules})

no_page_availability := {
	"rule": "ALR-011",
	"severity": "error",
	"message": "SLO availability has no paging burn-rate alert: add an alert on fraud_inference_requests_total that fires when its error ratio is above 14.4 × (1 − 0.999) = 0.0144 over both 1h and 5m",
	"pointer": "/slos/0",
}

test_the_example_passes if {
	count(alr_011.findings) == 0 with input as fx.example
}

test_slos_without_alerts if {
	alr_011.findings == {
		no_page_availability,
		{
			"rule": "ALR-011",
			"severity": "error",
			"message": "SLO latency-p95 has no paging burn-rate alert: add an alert on fraud_inference_latency_seconds that fires when its error ratio is above 14.4 × (1 − 0.95) = 0.72 over both 1h and 5m",
			"pointer": "/slos/1",
		},
	} with input as fx.example_with({"rules": []})
}

test_the_paging_tier_as_sloth_writes_it if {
	count(alr_011.findings) == 0 with input as guarded_by([fx.burn_alert("Page", requests, 3600, 300, 14.4 * 0.0009999999999998899)])
	count(alr_011.findings) == 0 with input as guarded_by([fx.burn_alert("Page", requests, 300, 3600, 0.0144)])
}

test_pyrra_paging_tier_is_accepted_for_a_30_day_slo if {
	count(alr_011.findings) == 0 with input as guarded_by([fx.burn_alert("Page", requests, 3600, 300, 14 * (1 - 0.999))])
}

test_a_28_day_slo_expects_pyrra_tiers if {
	slo := object.union(availability, {"windowSeconds": 2419200})
	alr_011.findings == {object.union(no_page_availability, {"message": "SLO availability has no paging burn-rate alert: add an alert on fraud_inference_requests_total that fires when its error ratio is above 14 × (1 − 0.999) = 0.014 over both 1h and 5m"})} with input as fx.example_with({"slos": [slo], "rules": []})
	count(alr_011.findings) == 0 with input as fx.example_with({"slos": [slo], "rules": [fx.burn_alert("Page", requests, 3600, 300, 0.014)]})
}

test_only_ticket_tiers_is_an_error if {
	alr_011.findings == {no_page_availability} with input as guarded_by([
		fx.burn_alert("Fast", requests, 21600, 1800, 6 * 0.001),
		fx.burn_alert("Slow", requests, 86400, 7200, 3 * 0.001),
	])
}

test_the_paging_tier_needs_its_exact_windows if {
	alr_011.findings == {no_page_availability} with input as guarded_by([fx.burn_alert("Page", requests, 3600, 600, 0.0144)])
	alr_011.findings == {no_page_availability} with input as guarded_by([fx.alert("Page", "…", fx.query([
		fx.above(requests, 3600, 0.0144),
		fx.above(requests, 300, 0.0144),
		fx.above(requests, 1800, 0.0144),
	]))])
}

test_the_paging_tier_needs_the_slo_threshold_on_both_windows if {
	alr_011.findings == {no_page_availability} with input as guarded_by([fx.burn_alert("Page", requests, 3600, 300, 0.144)])
	alr_011.findings == {no_page_availability} with input as guarded_by([fx.alert("Page", "…", fx.query([
		fx.above(requests, 3600, 0.0144),
		fx.above(requests, 300, 0.0145),
	]))])
	alr_011.findings == {no_page_availability} with input as guarded_by([fx.alert("Page", "…", fx.query([
		fx.above(requests, 3600, 0.0144),
		fx.condition(requests, 300, null),
	]))])
}

test_an_alert_belongs_to_the_slo_through_its_sli_metric if {
	alr_011.findings == {no_page_availability} with input as guarded_by([fx.burn_alert("Page", ["other_requests_total"], 3600, 300, 0.0144)])
}

latency_guarded_by(metrics) := fx.example_with({"slos": [fx.p95_slo], "rules": [fx.burn_alert("Page", metrics, 3600, 300, 0.72)]})

test_a_histogram_sli_is_read_through_its_series if {
	count(alr_011.findings) == 0 with input as latency_guarded_by(["fraud_inference_latency_seconds_bucket"])
	count(alr_011.findings) == 0 with input as latency_guarded_by(["fraud_inference_latency_seconds_count"])
	count(alr_011.findings) == 0 with input as latency_guarded_by(["fraud_inference_latency_seconds_sum"])
	count(alr_011.findings) == 1 with input as latency_guarded_by(["fraud_inference_latency_seconds_created"])
}

test_only_a_histogram_sli_has_series if {
	alr_011.findings == {no_page_availability} with input as guarded_by([fx.burn_alert("Page", ["fraud_inference_requests_total_count"], 3600, 300, 0.0144)])
}

single_window(window, threshold) := fx.alert("FraudBurn", "…", fx.query([fx.above(requests, window, threshold)]))

test_a_single_window_burn_rate_alert_is_a_warning if {
	alr_011.findings == {{
		"rule": "ALR-011",
		"severity": "warning",
		"message": "alert FraudBurn compares the error ratio of SLO availability over a single window (1h) with 14.4 × (1 − 0.999) = 0.0144: a single-window burn-rate alert pages late or flaps; require the 1h and 5m windows together with and",
		"pointer": "/rules/1/expr",
		"key": "availability/1h/14.4",
	}} with input as guarded_by([fx.example_rules[0], single_window(3600, 0.0144)])
}

test_a_single_window_alert_on_a_ticket_tier if {
	alr_011.findings == {{
		"rule": "ALR-011",
		"severity": "warning",
		"message": "alert FraudBurn compares the error ratio of SLO availability over a single window (3d) with 1 × (1 − 0.999) = 0.001: a single-window burn-rate alert pages late or flaps; require the 3d and 6h windows together with and",
		"pointer": "/rules/1/expr",
		"key": "availability/3d/1",
	}} with input as guarded_by([fx.example_rules[0], single_window(259200, 0.001)])
}

test_a_single_window_on_a_28_day_slo_suggests_pyrra_windows if {
	slo := object.union(availability, {"windowSeconds": 2419200})
	inp := fx.example_with({"slos": [slo], "rules": [fx.burn_alert("Page", requests, 3600, 300, 0.014), single_window(null, 0.001)]})
	alr_011.findings == {{
		"rule": "ALR-011",
		"severity": "warning",
		"message": "alert FraudBurn compares the error ratio of SLO availability over a single window with 1 × (1 − 0.999) = 0.001: a single-window burn-rate alert pages late or flaps; require the 4d and 6h windows together with and",
		"pointer": "/rules/1/expr",
		"key": "availability/none/1",
	}} with input as inp
}

test_a_single_window_threshold_alert_is_not_a_burn_rate if {
	count(alr_011.findings) == 0 with input as guarded_by([fx.example_rules[0], single_window(300, 10)])
}

test_not_checked_without_a_model if {
	count(alr_011.findings) == 0 with input as fx.example_with({"model": null, "rules": []})
}

test_sloth_page_alert_with_both_window_pairs_joined_by_or if {
	page := fx.sloth_alert("FraudAvailabilityPage", requests, [
		[300, 3600, 14.4 * 0.0009999999999998899],
		[1800, 21600, 6 * 0.0009999999999998899],
	])
	count(alr_011.findings) == 0 with input as guarded_by([page])
}

test_the_paging_pair_may_be_any_branch_of_an_or if {
	ticket_then_page := fx.sloth_alert("FraudAvailability", requests, [[7200, 86400, 0.003], [300, 3600, 0.0144]])
	count(alr_011.findings) == 0 with input as guarded_by([ticket_then_page])
}

test_only_ticket_pairs_joined_by_or_is_an_error if {
	ticket := fx.sloth_alert("FraudAvailabilityTicket", requests, [[7200, 86400, 0.003], [21600, 259200, 0.001]])
	alr_011.findings == {no_page_availability} with input as guarded_by([ticket])
}

test_single_windows_joined_by_or_warn_once_each if {
	q := fx.query_any([[fx.above(requests, 3600, 0.0144)], [fx.above(requests, 21600, 0.006)]])
	inp := guarded_by([fx.example_rules[0], fx.alert("FraudBurn", "r1h > … or r6h > …", q)])
	{[f.pointer, f.key, f.message] | some f in alr_011.findings} == {
		["/rules/1/expr", "availability/1h/14.4", "alert FraudBurn compares the error ratio of SLO availability over a single window (1h) with 14.4 × (1 − 0.999) = 0.0144: a single-window burn-rate alert pages late or flaps; require the 1h and 5m windows together with and"],
		["/rules/1/expr", "availability/6h/6", "alert FraudBurn compares the error ratio of SLO availability over a single window (6h) with 6 × (1 − 0.999) = 0.006: a single-window burn-rate alert pages late or flaps; require the 6h and 30m windows together with and"],
	} with input as inp
}

# One alert read by two SLOs with the same SLI, and one window compared with two tiers' thresholds:
# every warning is at the alert's expr, and the key names the SLO, the window and the tier.
test_single_window_warnings_at_one_expr_differ_by_key if {
	regional := object.union(availability, {"name": "availability-eu"})
	q := fx.query_any([[fx.above(requests, 3600, 0.0144)], [fx.above(requests, 3600, 0.006)]])
	inp := fx.example_with({
		"slos": [availability, regional],
		"rules": [fx.example_rules[0], fx.alert("FraudBurn", "r1h > … or r1h > …", q)],
	})
	found := alr_011.findings with input as inp
	count(found) == 4
	{f.pointer | some f in found} == {"/rules/1/expr"}
	{f.key | some f in found} == {
		"availability/1h/14.4", "availability/1h/6",
		"availability-eu/1h/14.4", "availability-eu/1h/6",
	}
}
