package obsgate.rules.alr_007_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.alr_007

absent_query := object.union(fx.query([fx.condition(["fraud_inference_requests_total"], null, null)]), {"functions": ["absent"]})

absent_alert(for_seconds) := object.union(
	fx.alert("FraudRequestsAbsent", "absent(fraud_inference_requests_total{job=\"fraud-api\"})", absent_query),
	{"forSeconds": for_seconds},
)

scraped_every(seconds) := {
	"intervalSeconds": seconds,
	"intervalSetting": "global.scrape_interval",
	"intervalIsDefault": false,
	"intervalFile": "platform/prometheus.yml",
	"jobs": [],
}

with_absent(for_seconds, scrape) := fx.example_with({"rules": [fx.example_rules[0], absent_alert(for_seconds)], "scrape": scrape})

test_the_example_passes if {
	count(alr_007.findings) == 0 with input as fx.example
}

test_twice_the_default_interval_passes if {
	count(alr_007.findings) == 0 with input as with_absent(120, null)
}

test_no_for_fires_with_the_default_interval if {
	alr_007.findings == {{
		"rule": "ALR-007",
		"message": "alert FraudRequestsAbsent uses absent() and fires at the first evaluation without data (no for:); wait at least 2m, twice the scrape interval (1m, the default: no Prometheus config the manifest names sets it), so that one missed scrape does not fire it",
		"pointer": "/rules/1/forSeconds",
	}} with input as with_absent(0, null)
}

test_the_scrape_interval_of_the_configs if {
	alr_007.findings == {{
		"rule": "ALR-007",
		"message": "alert FraudRequestsAbsent uses absent() and waits only 1m (for: 1m); wait at least 4m, twice the scrape interval (2m, global.scrape_interval in platform/prometheus.yml), so that one missed scrape does not fire it",
		"pointer": "/rules/1/forSeconds",
	}} with input as with_absent(60, scraped_every(120))
	count(alr_007.findings) == 0 with input as with_absent(60, scraped_every(30))
}

test_the_default_is_a_parameter if {
	inp := object.union(with_absent(120, null), {"params": {"alr_007": {"default_scrape_interval_seconds": 120}}})
	count(alr_007.findings) == 1 with input as inp
}

test_absent_over_time_and_recording_rules_are_not_checked if {
	over_time := object.union(absent_alert(0), {"query": object.union(absent_query, {"functions": ["absent_over_time"]})})
	count(alr_007.findings) == 0 with input as fx.example_with({"rules": [over_time]})
	record := object.union(fx.record("fraud:absent", "absent(x)", absent_query), {"forSeconds": 0})
	count(alr_007.findings) == 0 with input as fx.example_with({"rules": [record]})
}

test_rule_files_no_model_owns_are_checked if {
	count(alr_007.findings) == 1 with input as fx.unowned([absent_alert(60)], [])
}
