package obsgate.rules.ret_006_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.ret_006

# The example is high-risk; these inputs make it an ordinary model.
ordinary(retention) := fx.example_with({
	"model": object.union(fx.example_model, {"riskClass": null}),
	"retention": retention,
})

kept(eff) := ordinary(object.union(fx.retention, {"effective": {"logs": eff}}))

declared_only(seconds) := ordinary({
	"declared": {"metricsSeconds": null, "logsSeconds": seconds, "tracesSeconds": null},
	"effective": {"metrics": null, "logs": null, "traces": null},
	"loki": null,
})

test_the_high_risk_example_is_exempt if {
	count(ret_006.findings) == 0 with input as fx.example
}

test_the_maximum_itself_passes if {
	count(ret_006.findings) == 0 with input as kept(fx.loki_retention(2592000))
}

test_too_long if {
	ret_006.findings == {{
		"rule": "RET-006",
		"message": "logs are kept 90d, longer than the 30d a model that is not high-risk may keep personal data (GDPR storage limitation); set limits_config.retention_period in config/loki.yaml to at most 30d",
		"pointer": "/retention/effective/logs",
	}} with input as kept(fx.loki_retention(7776000))
}

test_never_deleted if {
	eff := object.union(fx.effective(null, "loki", "compactor.retention_enabled (not true: Loki never deletes logs)", "config/loki.yaml"), {"isDefault": true})
	ret_006.findings == {{
		"rule": "RET-006",
		"message": "logs are never deleted: compactor.retention_enabled (not true: Loki never deletes logs) in config/loki.yaml (the backend's default); a model that is not high-risk may keep personal data at most 30d (GDPR storage limitation), so make Loki delete them after at most 30d",
		"pointer": "/retention/effective/logs",
	}} with input as kept(eff)
}

test_the_maximum_is_a_parameter if {
	inp := object.union(kept(fx.loki_retention(2592000)), {"params": {"ret_006": {"max_log_retention_seconds": 1209600}}})
	ret_006.findings == {{
		"rule": "RET-006",
		"message": "logs are kept 30d, longer than the 14d a model that is not high-risk may keep personal data (GDPR storage limitation); set limits_config.retention_period in config/loki.yaml to at most 14d",
		"pointer": "/retention/effective/logs",
	}} with input as inp
}

test_the_declared_retention_when_no_loki_config_is_known if {
	ret_006.findings == {{
		"rule": "RET-006",
		"message": "the manifest declares logs kept 90d, longer than the 30d a model that is not high-risk may keep personal data (GDPR storage limitation); keep them at most 30d and declare it",
		"pointer": "/retention/declared/logsSeconds",
	}} with input as declared_only(7776000)
	count(ret_006.findings) == 0 with input as declared_only(604800)
	count(ret_006.findings) == 0 with input as declared_only(null)
}

test_rule_files_no_model_owns_are_not_checked if {
	count(ret_006.findings) == 0 with input as fx.unowned([], [])
}
