package obsgate.rules.alr_014_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.alr_014

base := fx.threshold_alert("FraudHighLatency", "fraud_inference_latency_seconds_bucket")

labelled(labels) := fx.example_with({"rules": [fx.replaced(base, {"labels": labels})]})

test_the_example_passes if {
	count(alr_014.findings) == 0 with input as fx.example
}

test_an_alert_without_the_model_label if {
	alr_014.findings == {{
		"rule": "ALR-014",
		"message": "alert FraudHighLatency has no model label; set label model: fraud-detector so that its pages can be tied to the model",
		"pointer": "/rules/0/labels",
	}} with input as labelled({"severity": "warning"})
}

test_an_alert_naming_another_model if {
	alr_014.findings == {{
		"rule": "ALR-014",
		"message": "alert FraudHighLatency names model churn-scorer in its model label, though it is in a rule file of fraud-detector; set label model: fraud-detector so that its pages can be tied to the model",
		"pointer": "/rules/0/labels/model",
	}} with input as labelled({"severity": "warning", "model": "churn-scorer"})
}

test_the_label_is_a_parameter if {
	inp := object.union(labelled({"severity": "warning", "model_name": "fraud-detector"}), {"params": {"alr_014": {"model_label": "model_name"}}})
	count(alr_014.findings) == 0 with input as inp
	alr_014.findings == {{
		"rule": "ALR-014",
		"message": "alert FraudHighLatency has no model_name label; set label model_name: fraud-detector so that its pages can be tied to the model",
		"pointer": "/rules/0/labels",
	}} with input as object.union(labelled({"model": "fraud-detector"}), {"params": {"alr_014": {"model_label": "model_name"}}})
}

test_an_alert_in_a_rule_file_several_models_list_is_not_checked if {
	shared := fx.replaced(base, {"labels": {"severity": "warning"}, "owners": ["churn-scorer", "fraud-detector"]})
	count(alr_014.findings) == 0 with input as fx.example_with({"rules": [shared]})
}

test_recording_rules_are_not_checked if {
	count(alr_014.findings) == 0 with input as fx.example_with({"rules": [fx.record("fraud:errors:rate5m", "x", fx.query([]))]})
}

test_rule_files_no_model_owns_are_not_checked if {
	count(alr_014.findings) == 0 with input as fx.unowned([fx.replaced(base, {"labels": {}})], [])
}
