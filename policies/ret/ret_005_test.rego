package obsgate.rules.ret_005_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.ret_005

# The example (a high-risk model) with its declared and effective log retention replaced.
logs_kept(declared, eff) := fx.example_with({"retention": {
	"declared": object.union(fx.retention.declared, {"logsSeconds": declared}),
	"effective": object.union(fx.retention.effective, {"logs": eff}),
	"loki": fx.loki,
}})

test_the_example_passes if {
	count(ret_005.findings) == 0 with input as fx.example
}

test_exactly_184_days_passes if {
	count(ret_005.findings) == 0 with input as logs_kept(15897600, fx.loki_retention(15897600))
}

test_effective_retention_too_short if {
	ret_005.findings == {{
		"rule": "RET-005",
		"message": "logs are kept 30d, less than the 184d a high-risk model must keep them (EU AI Act Art. 19(1), 26(6)); set limits_config.retention_period in config/loki.yaml to at least 184d",
		"pointer": "/retention/effective/logs",
	}} with input as logs_kept(15897600, fx.loki_retention(2592000))
}

test_the_backend_default_is_named if {
	eff := object.union(fx.loki_retention(2592000), {"isDefault": true})
	ret_005.findings == {{
		"rule": "RET-005",
		"message": "logs are kept 30d, less than the 184d a high-risk model must keep them (EU AI Act Art. 19(1), 26(6)); set limits_config.retention_period in config/loki.yaml (the backend's default) to at least 184d",
		"pointer": "/retention/effective/logs",
	}} with input as logs_kept(null, eff)
}

test_kept_forever_passes if {
	count(ret_005.findings) == 0 with input as logs_kept(2592000, fx.loki_retention(null))
}

test_the_effective_retention_wins_over_the_declared_one if {
	count(ret_005.findings) == 0 with input as logs_kept(2592000, fx.loki_retention(31536000))
}

test_declared_retention_too_short_without_a_backend if {
	ret_005.findings == {{
		"rule": "RET-005",
		"message": "the manifest declares logs kept 90d, less than the 184d a high-risk model must keep them (EU AI Act Art. 19(1), 26(6)); keep them at least 184d and declare it",
		"pointer": "/retention/declared/logsSeconds",
	}} with input as logs_kept(7776000, null)
	count(ret_005.findings) == 0 with input as logs_kept(15897600, null)
}

test_no_log_retention_at_all if {
	ret_005.findings == {{
		"rule": "RET-005",
		"message": "a high-risk model must keep its logs at least 184d (EU AI Act Art. 19(1), 26(6)), but no log retention is declared or configured; declare retention.logs and name the Loki config that enforces it",
		"pointer": "/retention",
	}} with input as logs_kept(null, null)
}

test_the_minimum_is_a_parameter if {
	inp := object.union(logs_kept(null, fx.loki_retention(15897600)), {"params": {"ret_005": {"min_log_retention_high_risk_seconds": 31536000}}})
	ret_005.findings == {{
		"rule": "RET-005",
		"message": "logs are kept 184d, less than the 365d a high-risk model must keep them (EU AI Act Art. 19(1), 26(6)); set limits_config.retention_period in config/loki.yaml to at least 365d",
		"pointer": "/retention/effective/logs",
	}} with input as inp
}

test_other_risk_classes_are_not_checked if {
	inp := logs_kept(null, fx.loki_retention(86400))
	count(ret_005.findings) == 0 with input as object.union(inp, {"model": {"riskClass": null}})
	count(ret_005.findings) == 0 with input as object.union(inp, {"model": {"riskClass": "limited"}})
	count(ret_005.findings) == 0 with input as object.union(inp, {"model": null})
}
