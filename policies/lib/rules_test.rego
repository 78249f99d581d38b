package obsgate.lib.rules_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.lib.rules

test_names if {
	rules.name(fx.threshold_alert("FraudDown", "x")) == "alert FraudDown"
	rules.name(fx.record("fraud:errors:rate5m", "x", null)) == "recording rule fraud:errors:rate5m"
	rules.name({"alert": null, "record": null, "group": "fraud"}) == "a rule in group fraud"
	rules.name({"alert": null, "record": null, "group": null}) == "a rule"
}

test_field_pointers_fall_back_to_the_nearest_present_parent if {
	r := fx.threshold_alert("FraudDown", "x")
	rules.field_pointer(3, r, "labels", "severity") == "/rules/3/labels/severity"
	rules.field_pointer(3, r, "labels", "team") == "/rules/3/labels"
	rules.field_pointer(3, object.remove(r, ["labels"]), "labels", "severity") == "/rules/3"
	rules.field_pointer(3, object.union(r, {"labels": null}), "labels", "severity") == "/rules/3"
}

test_labels_and_annotations_read_as_text if {
	r := fx.threshold_alert("FraudDown", "x")
	rules.label(r, "severity") == "critical"
	rules.label(r, "team") == ""
	rules.annotation(object.remove(r, ["annotations"]), "summary") == ""
}

test_a_multi_window_alert_is_a_burn_rate_alert if {
	rules.is_burn_rate(fx.burn_alert("Burn", ["m"], 3600, 300, 0.0144))
}

test_what_is_not_a_burn_rate_alert if {
	not rules.is_burn_rate(fx.threshold_alert("FraudDown", "x"))
	not rules.is_burn_rate(fx.alert("OneWindow", "r1h > 0.0144", fx.query([fx.above(["m"], 3600, 0.0144)])))
	not rules.is_burn_rate(fx.alert("NoWindow", "a > 1 and b > 1", fx.query([fx.above(["a"], null, 1), fx.above(["b"], 300, 1)])))
	not rules.is_burn_rate(fx.alert("NoThreshold", "a > b and c > 1", fx.query([fx.above(["a", "b"], 300, null), fx.above(["c"], 3600, 1)])))
	not rules.is_burn_rate(fx.alert("NoComparison", "rate(a[5m]) and b > 1", fx.query([fx.condition(["a"], 300, null), fx.above(["b"], 3600, 1)])))
	not rules.is_burn_rate(fx.alert("Broken", "a >", null))
}

test_approx_is_relative if {
	rules.approx(14.4 * 0.0009999999999998899, 14.4 * (1 - 0.999))
	rules.approx(0.0144, 0.0144)
	rules.approx(0, 0)
	not rules.approx(0.0144, 0.0145)
	not rules.approx(0.000001, 0)
}

test_sloth_or_of_window_pairs_is_a_burn_rate_alert if {
	rules.is_burn_rate(fx.sloth_alert("Page", ["m"], [[300, 3600, 0.0144], [1800, 21600, 0.006]]))
}

test_a_burn_rate_pair_or_a_threshold_is_not_a_burn_rate_alert if {
	q := fx.query_any([[fx.above(["m"], 300, 0.0144), fx.above(["m"], 3600, 0.0144)], [fx.above(["m"], 300, 5)]])
	not rules.is_burn_rate(fx.alert("Mixed", "(a and b) or c > 5", q))
}
