package obsgate.rules.alr_002_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.alr_002

down := fx.threshold_alert("FraudDown", "fraud_inference_requests_total")

with_labels(labels) := fx.example_with({"rules": [fx.record("fraud:requests:rate5m", "x", fx.query([])), fx.replaced(down, {"labels": labels})]})

test_the_example_passes if {
	count(alr_002.findings) == 0 with input as fx.example
}

test_every_allowed_value_passes if {
	every severity in ["critical", "warning", "info"] {
		count(alr_002.findings) == 0 with input as with_labels({"severity": severity})
	}
}

test_a_missing_severity if {
	alr_002.findings == {{
		"rule": "ALR-002",
		"message": "alert FraudDown has no severity label; set labels.severity to one of critical, warning, info",
		"pointer": "/rules/1/labels",
	}} with input as with_labels({"model": "fraud-detector"})
}

test_without_labels_the_pointer_is_the_rule if {
	{f.pointer | some f in alr_002.findings} == {"/rules/0"} with input as fx.example_with({"rules": [object.remove(down, ["labels"])]})
}

test_a_severity_that_is_not_allowed if {
	alr_002.findings == {{
		"rule": "ALR-002",
		"message": "alert FraudDown has severity page, which is not one of critical, warning, info",
		"pointer": "/rules/1/labels/severity",
	}} with input as with_labels({"severity": "page"})
}

test_an_empty_severity_is_missing if {
	alr_002.findings == {{
		"rule": "ALR-002",
		"message": "alert FraudDown has no severity label; set labels.severity to one of critical, warning, info",
		"pointer": "/rules/1/labels/severity",
	}} with input as with_labels({"severity": ""})
}

test_the_allowed_values_are_a_parameter if {
	inp := object.union(with_labels({"severity": "critical"}), {"params": {"alr_002": {"allowed": ["page", "ticket"]}}})
	alr_002.findings == {{
		"rule": "ALR-002",
		"message": "alert FraudDown has severity critical, which is not one of page, ticket",
		"pointer": "/rules/1/labels/severity",
	}} with input as inp
}

test_recording_rules_are_not_checked if {
	count(alr_002.findings) == 0 with input as fx.example_with({"rules": [fx.record("fraud:requests:rate5m", "x", fx.query([]))]})
}

test_rule_files_no_model_owns_are_checked if {
	count(alr_002.findings) == 1 with input as fx.unowned([fx.replaced(down, {"labels": {}})], [])
}
