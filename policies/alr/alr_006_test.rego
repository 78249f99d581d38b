package obsgate.rules.alr_006_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.alr_006

high_latency := fx.threshold_alert("FraudHighLatency", "fraud_inference_latency_seconds_bucket")

waiting(seconds) := fx.example_with({"rules": [fx.example_rules[0], object.union(high_latency, {"forSeconds": seconds})]})

test_the_example_passes if {
	count(alr_006.findings) == 0 with input as fx.example
}

test_waiting_exactly_the_minimum_passes if {
	count(alr_006.findings) == 0 with input as waiting(300)
}

test_no_for_fires_at_once if {
	alr_006.findings == {{
		"rule": "ALR-006",
		"message": "alert FraudHighLatency fires as soon as its threshold is crossed (no for:); wait at least 5m so that a single bad scrape or a short spike does not page",
		"pointer": "/rules/1/forSeconds",
	}} with input as waiting(0)
}

test_a_short_for if {
	alr_006.findings == {{
		"rule": "ALR-006",
		"message": "alert FraudHighLatency waits only 90s before firing (for: 90s); wait at least 5m so that a single bad scrape or a short spike does not page",
		"pointer": "/rules/1/forSeconds",
	}} with input as waiting(90)
}

test_the_minimum_is_a_parameter if {
	inp := object.union(waiting(300), {"params": {"alr_006": {"min_for_seconds": 900}}})
	alr_006.findings == {{
		"rule": "ALR-006",
		"message": "alert FraudHighLatency waits only 5m before firing (for: 5m); wait at least 15m so that a single bad scrape or a short spike does not page",
		"pointer": "/rules/1/forSeconds",
	}} with input as inp
}

test_burn_rate_alerts_are_exempt if {
	burn := object.union(fx.example_rules[0], {"forSeconds": 0})
	count(alr_006.findings) == 0 with input as fx.example_with({"rules": [burn]})
}

test_two_conditions_without_windows_are_not_a_burn_rate if {
	q := fx.query([fx.above(["a"], null, 1), fx.above(["b"], null, 1)])
	both := object.union(fx.alert("AandB", "a > 1 and b > 1", q), {"forSeconds": 0})
	count(alr_006.findings) == 1 with input as fx.example_with({"rules": [both]})
}

test_an_alert_without_a_comparison_is_not_a_threshold_alert if {
	absent := fx.alert("FraudMetricsAbsent", "absent(up{job=\"fraud\"})", fx.query([fx.condition(["up"], null, null)]))
	count(alr_006.findings) == 0 with input as fx.example_with({"rules": [object.union(absent, {"forSeconds": 0})]})
}

test_recording_rules_are_not_checked if {
	q := fx.query([fx.above(["a"], 300, 1)])
	count(alr_006.findings) == 0 with input as fx.example_with({"rules": [fx.record("a:high", "a > 1", q)]})
}

test_rule_files_no_model_owns_are_checked if {
	count(alr_006.findings) == 1 with input as fx.unowned([object.union(high_latency, {"forSeconds": 60})], [])
}

test_sloth_alerts_are_exempt if {
	sloth := fx.sloth_alert("Page", fx.availability_metrics, [[300, 3600, 0.0144], [1800, 21600, 0.006]])
	count(alr_006.findings) == 0 with input as fx.example_with({"rules": [object.union(sloth, {"forSeconds": 0})]})
}

test_a_threshold_or_ed_to_a_burn_rate_pair_is_not_exempt if {
	q := fx.query_any([[fx.above(["m"], 300, 0.0144), fx.above(["m"], 3600, 0.0144)], [fx.above(["m"], 300, 5)]])
	count(alr_006.findings) == 1 with input as fx.example_with({"rules": [object.union(fx.alert("Mixed", "(a and b) or c > 5", q), {"forSeconds": 0})]})
}
