package obsgate.rules.cor_005_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.cor_005

unlabelled := fx.metric("fraud_feature_drift_psi", "gauge", [fx.label("feature", 40)])

info(labels) := fx.metric("fraud_model_info", "gauge", labels)

test_the_example_passes if {
	count(cor_005.findings) == 0 with input as fx.healthy
	count(cor_005.findings) == 0 with input as fx.unowned([], [])
}

test_a_metric_without_the_model_label if {
	cor_005.findings == {{
		"rule": "COR-005",
		"message": "metric fraud_feature_drift_psi has no model label, so its series cannot be tied to the model; add the label, or declare a fraud_model_info gauge with labels model and model_version to join on",
		"pointer": "/metrics/2/labels",
	}} with input as fx.model_input([fx.requests, fx.latency, unlabelled])
}

test_an_info_metric_is_a_join if {
	count(cor_005.findings) == 0 with input as fx.model_input([unlabelled, info([fx.label("model", 1), fx.label("model_version", 3)])])
}

test_an_info_metric_without_the_version if {
	cor_005.findings == {{
		"rule": "COR-005",
		"message": "info metric fraud_model_info lacks model_version, so the model's other metrics cannot join to the model build through it; add it",
		"pointer": "/metrics/1/labels",
	}} with input as fx.model_input([unlabelled, info([fx.label("model", 1)])])
}

test_the_label_is_a_parameter if {
	inp := object.union(fx.model_input([fx.requests, fx.metric("fraud_queue_depth", "gauge", [fx.label("model_name", 1)])]), {"params": {"cor_005": {"model_label": "model_name"}}})
	{f.pointer | some f in cor_005.findings} == {"/metrics/0/labels"} with input as inp
}

test_framework_native_names_are_exempt if {
	triton := fx.metric("nv_inference_request_success", "counter", [fx.label("version", 2)])
	count(cor_005.findings) == 0 with input as fx.model_input_with([triton], {"model": object.union(fx.model, {"framework": "triton"})})
	{f.pointer | some f in cor_005.findings} == {"/metrics/0/labels"} with input as fx.model_input([triton])
}
