package obsgate.rules.alr_001_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.alr_001

with_rules(rules) := fx.example_with({"rules": rules})

test_the_example_passes if {
	count(alr_001.findings) == 0 with input as fx.example
}

test_a_rule_file_problem_is_reported_as_it_is if {
	alr_001.findings == {
		{"rule": "ALR-001", "message": "rule has neither `alert` nor `record`: name it with `alert:` (alerting rule) or `record:` (recording rule)", "pointer": "/ruleProblems/0"},
		{"rule": "ALR-001", "message": "`groups` is a string, not a list: write each group as a list item with `name:` and `rules:`", "pointer": "/ruleProblems/1"},
	} with input as fx.example_with({"ruleProblems": [
		{"file": fx.rules_file, "message": "rule has neither `alert` nor `record`: name it with `alert:` (alerting rule) or `record:` (recording rule)"},
		{"file": "alerts/other.rules.yaml", "message": "`groups` is a string, not a list: write each group as a list item with `name:` and `rules:`"},
	]})
}

test_an_expression_that_does_not_parse if {
	broken := fx.alert("FraudHighErrorRate", "rate(fraud_inference_requests_total[5m] > 1", fx.broken_query("unexpected end of expression", 44))
	alr_001.findings == {{
		"rule": "ALR-001",
		"message": "alert FraudHighErrorRate: expr is not valid PromQL: unexpected end of expression (at character 44 of the expression)",
		"pointer": "/rules/1/expr",
	}} with input as with_rules([fx.example_rules[0], broken])
}

test_a_recording_rule_that_does_not_parse if {
	broken := fx.record("fraud:errors:ratio_rate5m", "sumrate(x[5m])", fx.broken_query("unknown function \"sumrate\"", 1))
	alr_001.findings == {{
		"rule": "ALR-001",
		"message": "recording rule fraud:errors:ratio_rate5m: expr is not valid PromQL: unknown function \"sumrate\" (at character 1 of the expression)",
		"pointer": "/rules/0/expr",
	}} with input as with_rules([broken])
}

test_a_parse_error_without_a_column if {
	broken := fx.alert("FraudDown", "x >", fx.broken_query(null, null))
	alr_001.findings == {{
		"rule": "ALR-001",
		"message": "alert FraudDown: expr is not valid PromQL: syntax error",
		"pointer": "/rules/0/expr",
	}} with input as with_rules([broken])
}

test_rule_files_no_model_owns_are_checked if {
	broken := fx.alert("FraudDown", "up ==", fx.broken_query("unexpected end of expression", 6))
	inp := fx.unowned([broken], [{"file": "alerts/team.yaml", "message": "rule group has no `name`: give every group a name, unique in its file"}])
	{f.pointer | some f in alr_001.findings} == {"/rules/0/expr", "/ruleProblems/0"} with input as inp
}
