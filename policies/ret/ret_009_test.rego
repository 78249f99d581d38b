package obsgate.rules.ret_009_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.ret_009

with_retention(declared, effective) := fx.example_with({"retention": {
	"declared": object.union(fx.retention.declared, declared),
	"effective": object.union(fx.retention.effective, effective),
	"loki": fx.loki,
}})

test_the_example_passes if {
	count(ret_009.findings) == 0 with input as fx.example
}

test_logs_kept_shorter_than_declared if {
	ret_009.findings == {{
		"rule": "RET-009",
		"message": "the manifest declares logs kept 184d, but Loki keeps them 30d: limits_config.retention_period in config/loki.yaml",
		"pointer": "/retention/declared/logsSeconds",
	}} with input as with_retention({}, {"logs": fx.loki_retention(2592000)})
}

test_metrics_at_the_backend_default if {
	eff := object.union(fx.prometheus_retention(1296000), {"isDefault": true})
	ret_009.findings == {{
		"rule": "RET-009",
		"message": "the manifest declares metrics kept 30d, but Prometheus keeps them 15d: --storage.tsdb.retention.time in deploy/prometheus.yaml (the backend's default)",
		"pointer": "/retention/declared/metricsSeconds",
	}} with input as with_retention({}, {"metrics": eff})
}

test_kept_longer_than_declared_differs_too if {
	ret_009.findings == {{
		"rule": "RET-009",
		"message": "the manifest declares traces kept 7d, but Tempo keeps them 14d: compactor.compaction.block_retention in config/tempo.yaml",
		"pointer": "/retention/declared/tracesSeconds",
	}} with input as with_retention({}, {"traces": fx.tempo_retention(1209600)})
}

test_never_deleted_differs_from_any_declared_value if {
	eff := object.union(fx.loki_retention(null), {"setting": "compactor.retention_enabled"})
	ret_009.findings == {{
		"rule": "RET-009",
		"message": "the manifest declares logs kept 184d, but Loki never deletes them: compactor.retention_enabled in config/loki.yaml",
		"pointer": "/retention/declared/logsSeconds",
	}} with input as with_retention({}, {"logs": eff})
}

test_each_signal_is_compared if {
	inp := with_retention({}, {
		"metrics": fx.prometheus_retention(1),
		"logs": fx.loki_retention(2),
		"traces": fx.tempo_retention(3),
	})
	{f.pointer | some f in ret_009.findings} == {
		"/retention/declared/metricsSeconds",
		"/retention/declared/logsSeconds",
		"/retention/declared/tracesSeconds",
	} with input as inp
}

test_only_signals_known_on_both_sides_are_compared if {
	count(ret_009.findings) == 0 with input as with_retention({"logsSeconds": null}, {"logs": fx.loki_retention(1)})
	count(ret_009.findings) == 0 with input as with_retention({"logsSeconds": 1}, {"logs": null})
}

test_not_checked_without_a_model if {
	count(ret_009.findings) == 0 with input as object.union(with_retention({}, {"logs": fx.loki_retention(1)}), {"model": null})
}
