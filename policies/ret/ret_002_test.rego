package obsgate.rules.ret_002_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.ret_002

keeping(eff) := fx.example_with({"retention": object.union(fx.retention, {"effective": {"metrics": eff}})})

test_the_example_passes if {
	count(ret_002.findings) == 0 with input as fx.example
}

test_exactly_the_longest_window_passes if {
	count(ret_002.findings) == 0 with input as keeping(fx.prometheus_retention(2592000))
}

test_shorter_than_the_longest_slo_window if {
	slos := [fx.availability_slo, object.union(fx.p95_slo, {"windowSeconds": 604800})]
	ret_002.findings == {{
		"rule": "RET-002",
		"message": "metrics are kept 15d, shorter than the longest SLO window of 30d, so the error budget cannot be computed; set --storage.tsdb.retention.time in deploy/prometheus.yaml to at least 30d",
		"pointer": "/retention/effective/metrics",
	}} with input as object.union(keeping(fx.prometheus_retention(1296000)), {"slos": slos})
}

test_the_backend_default_is_named if {
	eff := object.union(fx.prometheus_retention(86400), {"backend": "prometheus-operator", "setting": "spec.retention", "isDefault": true, "file": "deploy/prometheus-cr.yaml"})
	ret_002.findings == {{
		"rule": "RET-002",
		"message": "metrics are kept 1d, shorter than the longest SLO window of 30d, so the error budget cannot be computed; set spec.retention in deploy/prometheus-cr.yaml (the backend's default) to at least 30d",
		"pointer": "/retention/effective/metrics",
	}} with input as keeping(eff)
}

test_kept_forever_passes if {
	count(ret_002.findings) == 0 with input as keeping(fx.prometheus_retention(null))
}

test_unknown_retention_or_no_slos_pass if {
	count(ret_002.findings) == 0 with input as keeping(null)
	count(ret_002.findings) == 0 with input as object.union(keeping(fx.prometheus_retention(3600)), {"slos": []})
}

test_not_checked_without_a_model if {
	count(ret_002.findings) == 0 with input as object.union(keeping(fx.prometheus_retention(3600)), {"model": null})
}
