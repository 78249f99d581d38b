package obsgate.rules.alr_005_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.alr_005

named(name) := fx.example_with({"rules": [fx.threshold_alert(name, "fraud_inference_latency_seconds_bucket")]})

test_the_example_passes if {
	count(alr_005.findings) == 0 with input as fx.example
}

test_camel_case_names_pass if {
	every name in ["FraudDetectorDown", "KServeAPIDown", "Http5xxErrors", "X"] {
		count(alr_005.findings) == 0 with input as named(name)
	}
}

test_snake_case_gets_its_camel_case_spelling if {
	alr_005.findings == {{
		"rule": "ALR-005",
		"message": "alert name fraud_detector_down is not CamelCase; rename it FraudDetectorDown",
		"pointer": "/rules/0/alert",
	}} with input as named("fraud_detector_down")
}

test_hyphens_and_lower_case_words_are_joined if {
	alr_005.findings == {{
		"rule": "ALR-005",
		"message": "alert name Cert-managerAbsent is not CamelCase; rename it CertManagerAbsent",
		"pointer": "/rules/0/alert",
	}} with input as named("Cert-managerAbsent")
}

test_a_lower_case_first_letter if {
	alr_005.findings == {{
		"rule": "ALR-005",
		"message": "alert name fraudDetectorDown is not CamelCase; rename it FraudDetectorDown",
		"pointer": "/rules/0/alert",
	}} with input as named("fraudDetectorDown")
}

test_a_name_that_cannot_be_capitalised_gets_the_rule if {
	alr_005.findings == {{
		"rule": "ALR-005",
		"message": "alert name 5xx-errors is not CamelCase; rename it with a capital letter first, then letters and digits only (HighRequestLatency)",
		"pointer": "/rules/0/alert",
	}} with input as named("5xx-errors")
}

test_recording_rules_are_not_checked if {
	count(alr_005.findings) == 0 with input as fx.example_with({"rules": [fx.record("fraud:errors:rate5m", "x", fx.query([]))]})
}

test_rule_files_no_model_owns_are_checked if {
	count(alr_005.findings) == 1 with input as fx.unowned([fx.threshold_alert("node down", "up")], [])
}
