package obsgate.rules.ins_009_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.ins_009

psi := fx.with_role(fx.metric("fraud_feature_drift_psi", "gauge", [fx.label("model", 1), fx.label("feature", 40)]), "drift")

with_drift(metrics, drift) := fx.model_input_with(metrics, {"drift": drift})

complete := {"metric": "fraud_feature_drift_psi", "method": "psi", "threshold": 0.2}

test_complete_drift_monitoring_passes if {
	count(ins_009.findings) == 0 with input as with_drift([fx.requests, psi], complete)
}

test_models_without_drift_monitoring_are_not_checked if {
	count(ins_009.findings) == 0 with input as with_drift([fx.requests, fx.latency], null)
	count(ins_009.findings) == 0 with input as fx.unowned([], [])
}

test_a_drift_section_without_method_and_threshold if {
	ins_009.findings == {{
		"rule": "INS-009",
		"message": "drift does not name its method and threshold; declare drift.method (psi, ks, wasserstein, js or chi2) and drift.threshold (the score above which the model drifts)",
		"pointer": "/drift",
	}} with input as with_drift([psi], {"metric": "fraud_feature_drift_psi", "method": null, "threshold": null})
}

test_a_drift_metric_without_a_drift_section if {
	ins_009.findings == {{
		"rule": "INS-009",
		"message": "metric fraud_feature_drift_psi has role: drift, but the manifest has no drift section; declare drift: { metric: fraud_feature_drift_psi, method: psi, ks, wasserstein, js or chi2, threshold: <score> }",
		"pointer": "/metrics/1/role",
	}} with input as with_drift([fx.requests, psi], null)
}

test_a_drift_metric_that_is_not_declared if {
	ins_009.findings == {{
		"rule": "INS-009",
		"message": "drift.metric fraud_drift_score is not a declared metric; declare it under metrics (a gauge with role: drift) or name the metric that carries the drift score",
		"pointer": "/drift/metric",
	}} with input as with_drift([psi], object.union(complete, {"metric": "fraud_drift_score"}))
}

test_every_part_missing if {
	{f.message | some f in ins_009.findings} == {"drift does not name its metric, method and threshold; declare drift.metric (the declared metric that carries the score), drift.method (psi, ks, wasserstein, js or chi2) and drift.threshold (the score above which the model drifts)"} with input as with_drift([psi], {"metric": null, "method": null, "threshold": null})
}
