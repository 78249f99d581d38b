package obsgate.rules.ret_001_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.ret_001

with_metrics(eff) := fx.example_with({"retention": object.union(fx.retention, {"effective": {"metrics": eff}})})

defaulted(backend, setting, seconds) := object.union(fx.effective(seconds, backend, setting, "deploy/prometheus.yaml"), {"isDefault": true})

test_the_example_passes if {
	count(ret_001.findings) == 0 with input as fx.example
}

test_a_missing_flag if {
	eff := defaulted("prometheus", "--storage.tsdb.retention.time (unset: Prometheus default 15d)", 1296000)
	ret_001.findings == {{
		"rule": "RET-001",
		"message": "the metrics retention is left to the default: --storage.tsdb.retention.time (unset: Prometheus default 15d) in deploy/prometheus.yaml; set it explicitly (such as --storage.tsdb.retention.time=30d) to what the models need",
		"pointer": "/retention/effective/metrics",
	}} with input as with_metrics(eff)
}

test_a_config_file_without_storage if {
	eff := defaulted("prometheus", "storage.tsdb.retention.time (unset: Prometheus default 15d)", 1296000)
	ret_001.findings == {{
		"rule": "RET-001",
		"message": "the metrics retention is left to the default: storage.tsdb.retention.time (unset: Prometheus default 15d) in deploy/prometheus.yaml; set it explicitly (such as storage.tsdb.retention.time: 30d) to what the models need",
		"pointer": "/retention/effective/metrics",
	}} with input as with_metrics(eff)
}

test_the_operator_default if {
	eff := defaulted("prometheus-operator", "spec.retention (unset: Prometheus Operator default 24h)", 86400)
	ret_001.findings == {{
		"rule": "RET-001",
		"message": "the metrics retention is left to the default: spec.retention (unset: Prometheus Operator default 24h) in deploy/prometheus.yaml; set it explicitly (such as spec.retention: 30d) to what the models need",
		"pointer": "/retention/effective/metrics",
	}} with input as with_metrics(eff)
}

test_an_explicit_size_only_retention_passes if {
	eff := fx.effective(null, "prometheus", "--storage.tsdb.retention.size (size-based only: no time limit)", "deploy/prometheus.yaml")
	count(ret_001.findings) == 0 with input as with_metrics(eff)
}

test_no_prometheus_config_no_finding if {
	count(ret_001.findings) == 0 with input as with_metrics(null)
}

test_other_backends_are_not_checked if {
	eff := object.union(fx.loki_retention(null), {"isDefault": true})
	count(ret_001.findings) == 0 with input as with_metrics(eff)
}
