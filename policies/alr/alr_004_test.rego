package obsgate.rules.alr_004_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.alr_004

down(severity, annotations) := fx.replaced(fx.threshold_alert("FraudDown", "fraud_inference_requests_total"), {
	"labels": {"severity": severity},
	"annotations": annotations,
})

with_rule(rule) := fx.example_with({"rules": [fx.example_rules[0], rule]})

test_the_example_passes if {
	count(alr_004.findings) == 0 with input as fx.example
}

test_a_critical_alert_with_an_https_runbook_passes if {
	count(alr_004.findings) == 0 with input as with_rule(down("critical", {"runbook_url": "https://runbooks.example.com/fraud/FraudDown"}))
	count(alr_004.findings) == 0 with input as with_rule(down("critical", {"runbook_url": "HTTPS://runbooks.example.com/fraud"}))
}

test_a_critical_alert_without_a_runbook if {
	alr_004.findings == {{
		"rule": "ALR-004",
		"message": "alert FraudDown (severity critical) has no runbook_url annotation; link its runbook with an https:// URL",
		"pointer": "/rules/1/annotations",
	}} with input as with_rule(down("critical", {"summary": "s"}))
}

test_a_runbook_over_http if {
	alr_004.findings == {{
		"rule": "ALR-004",
		"message": "alert FraudDown (severity critical) has runbook_url http://wiki.internal/fraud, which is not an https:// link",
		"pointer": "/rules/1/annotations/runbook_url",
	}} with input as with_rule(down("critical", {"runbook_url": "http://wiki.internal/fraud"}))
}

test_a_bare_scheme_is_not_a_link if {
	count(alr_004.findings) == 1 with input as with_rule(down("critical", {"runbook_url": "https://"}))
}

test_other_severities_need_no_runbook if {
	count(alr_004.findings) == 0 with input as with_rule(down("warning", {}))
	count(alr_004.findings) == 0 with input as with_rule(down("info", {"runbook_url": "http://wiki.internal/fraud"}))
}

test_which_severities_need_one_is_a_parameter if {
	inp := object.union(with_rule(down("warning", {})), {"params": {"alr_004": {"runbook_required_for": ["critical", "warning"]}}})
	alr_004.findings == {{
		"rule": "ALR-004",
		"message": "alert FraudDown (severity warning) has no runbook_url annotation; link its runbook with an https:// URL",
		"pointer": "/rules/1/annotations",
	}} with input as inp
}

test_rule_files_no_model_owns_are_checked if {
	count(alr_004.findings) == 1 with input as fx.unowned([down("critical", {})], [])
}
