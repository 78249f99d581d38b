package obsgate.rules.alr_012_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.alr_012

# An alert whose query reads `metric` straight through `fn` (absent_over_time, rate, …).
watching(name, metric, fn) := object.union(fx.absent_alert(name, metric), {
	"expr": sprintf("%s(%s[5m])", [fn, metric]),
	"query": {"functions": [fn], "selectors": [{"metric": metric, "matchers": [], "rangeSeconds": 300, "function": fn, "aggregatedInside": false}]},
})

# The example's alerts without its two absent-data alerts.
burn_rate_and_threshold := [r | some r in fx.example_rules; not "absent" in r.query.functions]

with_rules(extra) := fx.example_with({"rules": array.concat(burn_rate_and_threshold, extra)})

requests_absent := fx.absent_alert("FraudRequestsAbsent", "fraud_inference_requests_total")

latency_absent := watching("FraudLatencyAbsent", "fraud_inference_latency_seconds_count", "absent_over_time")

requests_finding := {
	"rule": "ALR-012",
	"message": "SLI metric fraud_inference_requests_total (SLO availability) has no absent-data alert: if it stops being scraped or is renamed, the SLO's alerts see no data and stay silent; add an alert on absent(fraud_inference_requests_total{…}) with the SLI's selector",
	"pointer": "/slos/0/sli/metric",
}

test_the_example_passes if {
	count(alr_012.findings) == 0 with input as fx.example
}

test_absent_over_time_counts if {
	count(alr_012.findings) == 0 with input as with_rules([requests_absent, latency_absent])
}

test_without_absent_data_alerts if {
	alr_012.findings == {
		requests_finding,
		{
			"rule": "ALR-012",
			"message": "SLI metric fraud_inference_latency_seconds (SLO latency-p95) has no absent-data alert: if it stops being scraped or is renamed, the SLO's alerts see no data and stay silent; add an alert on absent(fraud_inference_latency_seconds_count{…}) with the SLI's selector",
			"pointer": "/slos/1/sli/metric",
		},
	} with input as with_rules([])
}

test_any_series_of_a_histogram_counts if {
	every series in ["fraud_inference_latency_seconds_bucket", "fraud_inference_latency_seconds_sum", "fraud_inference_latency_seconds"] {
		count(alr_012.findings) == 0 with input as with_rules([requests_absent, fx.absent_alert("LatencyAbsent", series)])
	}
}

test_up_and_other_functions_do_not_count if {
	up_down := fx.alert("FraudDown", "up{job=\"fraud-api\"} == 0", object.union(fx.query([fx.above(["up"], null, 0)]), {"selectors": [{"metric": "up", "matchers": [], "rangeSeconds": null, "function": null, "aggregatedInside": false}]}))
	rate := watching("FraudRequestsRate", "fraud_inference_requests_total", "rate")
	alr_012.findings == {requests_finding} with input as with_rules([latency_absent, up_down, rate])
}

test_a_metric_two_slos_share_is_one_finding_at_the_first if {
	second := object.union(fx.availability_slo, {"name": "availability-weekly", "windowSeconds": 604800})
	inp := fx.example_with({"slos": [fx.p95_slo, fx.availability_slo, second], "rules": [latency_absent]})
	alr_012.findings == {{
		"rule": "ALR-012",
		"message": "SLI metric fraud_inference_requests_total (SLO availability, availability-weekly) has no absent-data alert: if it stops being scraped or is renamed, the SLO's alerts see no data and stay silent; add an alert on absent(fraud_inference_requests_total{…}) with the SLI's selector",
		"pointer": "/slos/1/sli/metric",
	}} with input as inp
}

test_a_recording_rule_is_not_an_alert if {
	recorded := object.union(requests_absent, {"type": "record", "alert": null, "record": "fraud:requests:absent"})
	alr_012.findings == {requests_finding} with input as with_rules([recorded, latency_absent])
}

test_without_slos_nothing_is_asked if {
	count(alr_012.findings) == 0 with input as fx.example_with({"slos": [], "rules": burn_rate_and_threshold})
}

test_rule_files_no_model_owns_are_not_checked if {
	count(alr_012.findings) == 0 with input as fx.unowned([fx.threshold_alert("A", "x")], [])
}
