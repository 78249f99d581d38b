package obsgate.rules.alr_003_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.alr_003

down := fx.threshold_alert("FraudDown", "fraud_inference_requests_total")

with_annotations(annotations) := fx.example_with({"rules": [fx.replaced(down, {"annotations": annotations})]})

no_summary := {
	"rule": "ALR-003",
	"severity": "error",
	"message": "alert FraudDown has no summary annotation; add one line saying what is wrong, for the page's title",
	"pointer": "/rules/0/annotations",
	"key": "summary",
}

no_description := {
	"rule": "ALR-003",
	"severity": "warning",
	"message": "alert FraudDown has no description annotation; add what happened, where, and what it affects, for whoever is paged",
	"pointer": "/rules/0/annotations",
	"key": "description",
}

test_the_example_passes if {
	count(alr_003.findings) == 0 with input as fx.example
}

test_both_present_passes if {
	count(alr_003.findings) == 0 with input as with_annotations({"summary": "Fraud detector is down", "description": "No requests for 5m"})
}

test_no_annotations_is_an_error_and_a_warning if {
	alr_003.findings == {no_summary, no_description} with input as with_annotations({})
}

test_both_findings_at_one_pointer_differ_by_the_missing_annotation if {
	found := alr_003.findings with input as with_annotations({})
	count(found) == 2
	{f.pointer | some f in found} == {"/rules/0/annotations"}
	{f.key | some f in found} == {"summary", "description"}
	found_without_annotations := alr_003.findings with input as fx.example_with({"rules": [object.remove(down, ["annotations"])]})
	{[f.pointer, f.key] | some f in found_without_annotations} == {["/rules/0", "summary"], ["/rules/0", "description"]}
}

test_a_missing_summary_is_an_error if {
	alr_003.findings == {no_summary} with input as with_annotations({"description": "No requests for 5m"})
}

test_a_missing_description_is_a_warning if {
	alr_003.findings == {no_description} with input as with_annotations({"summary": "Fraud detector is down"})
}

test_a_blank_summary_points_at_it if {
	alr_003.findings == {object.union(no_summary, {"pointer": "/rules/0/annotations/summary"})} with input as with_annotations({"summary": "  ", "description": "d"})
}

test_without_annotations_the_pointer_is_the_rule if {
	{f.pointer | some f in alr_003.findings} == {"/rules/0"} with input as fx.example_with({"rules": [object.remove(down, ["annotations"])]})
}

test_recording_rules_are_not_checked if {
	count(alr_003.findings) == 0 with input as fx.example_with({"rules": [fx.record("fraud:requests:rate5m", "x", fx.query([]))]})
}

test_rule_files_no_model_owns_are_checked if {
	alr_003.findings == {no_summary, no_description} with input as fx.unowned([fx.replaced(down, {"annotations": {}})], [])
}
