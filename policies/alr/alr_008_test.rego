package obsgate.rules.alr_008_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.alr_008

selector(metric, fn) := {"metric": metric, "matchers": [], "rangeSeconds": null, "function": fn, "aggregatedInside": false}

# An alert reading `metric` through `fn`, with the query's comparisons, functions and joins as given.
alert_with(expr, metric, fn, comparisons, joins) := fx.alert("FraudErrors", expr, object.union(fx.query([]), {
	"metrics": [metric],
	"selectors": [selector(metric, fn)],
	"functions": [f | some f in [fn]; f != null],
	"comparisons": comparisons,
	"joins": joins,
}))

only(rule) := fx.example_with({"rules": [rule]})

no_comparison := alert_with("rate(fraud_errors_total[5m])", "fraud_errors_total", "rate", [], [])

test_the_example_passes if {
	count(alr_008.findings) == 0 with input as fx.example
}

test_an_alert_without_a_comparison if {
	alr_008.findings == {{
		"rule": "ALR-008",
		"message": "alert FraudErrors has no comparison, so it fires for every series its expression returns, whatever the value; compare it with the threshold at which somebody must act (such as > 0 or == 0)",
		"pointer": "/rules/0/query",
	}} with input as only(no_comparison)
}

test_a_bool_comparison_counts_as_none if {
	rule := alert_with("up == bool 0", "up", null, [{"op": "==", "bool": true, "threshold": 0}], [])
	alr_008.findings == {{
		"rule": "ALR-008",
		"message": "alert FraudErrors compares only with bool, which returns 0 or 1 for every series instead of dropping any, so it fires whenever the metric exists; compare it with the threshold at which somebody must act (such as > 0 or == 0)",
		"pointer": "/rules/0/query",
	}} with input as only(rule)
}

test_a_comparison_passes if {
	rule := alert_with("up == 0", "up", null, [fx.comparison("==", 0)], [])
	count(alr_008.findings) == 0 with input as only(rule)
}

test_unless_filters if {
	rule := alert_with("up unless on (job) maintenance", "up", null, [], ["unless"])
	count(alr_008.findings) == 0 with input as only(rule)
}

test_absent_alerts_are_exempt if {
	every fn in ["absent", "absent_over_time"] {
		count(alr_008.findings) == 0 with input as only(alert_with("absent(up)", "up", fn, [], []))
	}
}

test_an_expression_reading_no_series_is_exempt if {
	watchdog := fx.alert("Watchdog", "vector(1)", object.union(fx.query([]), {"functions": ["vector"]}))
	count(alr_008.findings) == 0 with input as only(watchdog)
}

test_an_expression_that_does_not_parse_is_left_to_alr_001 if {
	q := object.union(fx.broken_query("unexpected end of input", 11), {"selectors": [selector("x", "rate")]})
	rule := fx.alert("Broken", "rate(x[5m]", q)
	count(alr_008.findings) == 0 with input as only(rule)
}

test_recording_rules_are_not_checked if {
	count(alr_008.findings) == 0 with input as only(fx.record("fraud:errors:rate5m", "rate(x[5m])", no_comparison.query))
}

test_rule_files_no_model_owns_are_checked if {
	count(alr_008.findings) == 1 with input as fx.unowned([no_comparison], [])
}
