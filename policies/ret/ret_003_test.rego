package obsgate.rules.ret_003_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.ret_003

kept(seconds) := fx.example_with({"retention": object.union(fx.retention, {"effective": {"metrics": fx.prometheus_retention(seconds)}})})

declared_only(seconds) := fx.example_with({"retention": {
	"declared": {"metricsSeconds": seconds, "logsSeconds": null, "tracesSeconds": null},
	"effective": {"metrics": null, "logs": null, "traces": null},
	"loki": null,
}})

test_the_example_passes if {
	count(ret_003.findings) == 0 with input as fx.example
}

test_the_bounds_themselves_pass if {
	count(ret_003.findings) == 0 with input as kept(1296000)
	count(ret_003.findings) == 0 with input as kept(34560000)
}

test_too_short if {
	ret_003.findings == {{
		"rule": "RET-003",
		"message": "metrics are kept 10d, shorter than the minimum of 15d; raise --storage.tsdb.retention.time in deploy/prometheus.yaml to at least 15d",
		"pointer": "/retention/effective/metrics",
	}} with input as kept(864000)
}

test_too_long if {
	ret_003.findings == {{
		"rule": "RET-003",
		"message": "metrics are kept 730d, longer than the maximum of 400d; lower --storage.tsdb.retention.time in deploy/prometheus.yaml to at most 400d",
		"pointer": "/retention/effective/metrics",
	}} with input as kept(63072000)
}

test_the_bounds_are_parameters if {
	inp := object.union(kept(2592000), {"params": {"ret_003": {"min_seconds": 3888000, "max_seconds": 7776000}}})
	ret_003.findings == {{
		"rule": "RET-003",
		"message": "metrics are kept 30d, shorter than the minimum of 45d; raise --storage.tsdb.retention.time in deploy/prometheus.yaml to at least 45d",
		"pointer": "/retention/effective/metrics",
	}} with input as inp
}

test_a_size_only_retention_is_not_judged if {
	count(ret_003.findings) == 0 with input as kept(null)
}

test_the_declared_retention_when_no_prometheus_config_is_known if {
	ret_003.findings == {{
		"rule": "RET-003",
		"message": "the manifest declares metrics kept 7d, shorter than the minimum of 15d; keep them at least 15d and declare it",
		"pointer": "/retention/declared/metricsSeconds",
	}} with input as declared_only(604800)
	count(ret_003.findings) == 0 with input as declared_only(2592000)
	count(ret_003.findings) == 0 with input as declared_only(null)
}

test_the_enforced_retention_wins_over_the_declared_one if {
	inp := fx.example_with({"retention": object.union(fx.retention, {"declared": {"metricsSeconds": 604800}})})
	count(ret_003.findings) == 0 with input as inp
}

test_rule_files_no_model_owns_are_not_checked if {
	count(ret_003.findings) == 0 with input as fx.unowned([], [])
}
