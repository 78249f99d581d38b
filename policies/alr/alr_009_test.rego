package obsgate.rules.alr_009_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.alr_009

base := fx.threshold_alert("FraudHighLatency", "fraud_inference_latency_seconds_bucket")

labelled(labels) := fx.example_with({"rules": [fx.replaced(base, {"labels": labels})]})

test_the_example_passes if {
	count(alr_009.findings) == 0 with input as fx.example
}

test_value_in_a_label if {
	alr_009.findings == {{
		"rule": "ALR-009",
		"message": "alert FraudHighLatency templates the alert's value ($value) in label latency ({{ $value | humanizeDuration }}), so every new value makes it a new alert that notifies again; move it to an annotation",
		"pointer": "/rules/0/labels/latency",
	}} with input as labelled({"severity": "warning", "latency": "{{ $value | humanizeDuration }}"})
}

test_every_spelling_of_the_value if {
	every template in ["{{$value}}", "{{- $value -}}", "p95 {{ printf \"%.2f\" $value }}s", "{{ .Value }}", "{{ $.Value }}", "{{ humanize .Value }}"] {
		count(alr_009.findings) == 1 with input as labelled({"latency": template})
	}
}

test_a_query_result_in_a_label if {
	template := "{{ with query (printf \"kube_pod_owner{pod='%s'}\" $labels.pod) }}{{ . | first | label \"owner_name\" }}{{ end }}"
	alr_009.findings == {{
		"rule": "ALR-009",
		"message": sprintf("alert FraudHighLatency templates a query result (the query function) in label owner (%s), so every new value makes it a new alert that notifies again; move it to an annotation", [template]),
		"pointer": "/rules/0/labels/owner",
	}} with input as labelled({"owner": template})
}

test_both_in_one_label_is_one_finding if {
	alr_009.findings == {{
		"rule": "ALR-009",
		"message": "alert FraudHighLatency templates a query result (the query function) and the alert's value ($value) in label detail ({{ $value }} of {{ query \"up\" | first | value }}), so every new value makes it a new alert that notifies again; move it to an annotation",
		"pointer": "/rules/0/labels/detail",
	}} with input as labelled({"detail": "{{ $value }} of {{ query \"up\" | first | value }}"})
}

test_series_labels_and_plain_text_pass if {
	count(alr_009.findings) == 0 with input as labelled({
		"severity": "critical",
		"instance": "{{ $labels.instance }}",
		"query": "{{ $labels.query }}",
		"value": "$value outside a template is text",
		"Value": "{{ $labels.Value }}",
	})
}

test_annotations_may_template_anything if {
	rule := object.union(base, {"annotations": {"description": "{{ $value }} and {{ query \"up\" }}"}})
	count(alr_009.findings) == 0 with input as fx.example_with({"rules": [rule]})
}

test_rule_files_no_model_owns_are_checked if {
	count(alr_009.findings) == 1 with input as fx.unowned([fx.replaced(base, {"labels": {"v": "{{ $value }}"}})], [])
}
