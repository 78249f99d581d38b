package obsgate.rules.ret_008_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.ret_008

day := 86400

thanos(seconds, flag) := fx.effective(seconds, "thanos", flag, "platform/thanos/compact.yaml")

thanos_defaulted(flag) := object.union(thanos(null, sprintf("%s (unset: default 0d, kept forever)", [flag])), {"isDefault": true})

mimir(seconds) := fx.effective(seconds, "mimir", "limits.compactor_blocks_retention_period", "platform/mimir.yaml")

with_long_term(entries) := fx.example_with({"retention": object.union(fx.retention, {"longTerm": entries})})

compactor(raw, five, hour) := [
	thanos(raw, "--retention.resolution-raw"),
	thanos(five, "--retention.resolution-5m"),
	thanos(hour, "--retention.resolution-1h"),
]

test_the_example_passes if {
	count(ret_008.findings) == 0 with input as fx.example
}

test_explicit_and_long_enough_passes if {
	# The example declares 30d of metrics; downsampled data kept a year covers them.
	count(ret_008.findings) == 0 with input as with_long_term(compactor(7 * day, 90 * day, 365 * day))
	count(ret_008.findings) == 0 with input as with_long_term([mimir(30 * day)])
}

test_kept_forever_on_purpose_passes if {
	count(ret_008.findings) == 0 with input as with_long_term([object.union(mimir(null), {"setting": "limits.compactor_blocks_retention_period (0: blocks are never deleted)"})])
}

test_an_unset_thanos_resolution if {
	ret_008.findings == {{
		"rule": "RET-008",
		"message": "Thanos keeps metrics forever, as nothing sets this retention: --retention.resolution-5m (unset: default 0d, kept forever) in platform/thanos/compact.yaml (the backend's default); set it explicitly, at least as long as the metrics retention",
		"pointer": "/retention/longTerm/1",
		"key": "--retention.resolution-5m (unset: default 0d, kept forever)",
	}} with input as with_long_term([
		thanos(90 * day, "--retention.resolution-raw"),
		thanos_defaulted("--retention.resolution-5m"),
		thanos(365 * day, "--retention.resolution-1h"),
	])
}

test_a_store_that_deletes_before_the_declared_retention if {
	ret_008.findings == {{
		"rule": "RET-008",
		"message": "Thanos keeps metrics 14d (--retention.resolution-1h in platform/thanos/compact.yaml), less than the 30d the manifest declares for metrics; keep them at least 30d",
		"pointer": "/retention/longTerm/2",
	}} with input as with_long_term(compactor(2 * day, 7 * day, 14 * day))
}

test_without_a_declaration_prometheus_sets_the_target if {
	declared := object.union(fx.retention.declared, {"metricsSeconds": null})
	inp := fx.example_with({"retention": object.union(fx.retention, {"declared": declared, "longTerm": [mimir(7 * day)]})})
	ret_008.findings == {{
		"rule": "RET-008",
		"message": "Mimir keeps metrics 7d (limits.compactor_blocks_retention_period in platform/mimir.yaml), less than the 30d Prometheus keeps them (--storage.tsdb.retention.time in deploy/prometheus.yaml); keep them at least 30d",
		"pointer": "/retention/longTerm/0",
	}} with input as inp
}

test_stores_are_judged_apart if {
	inp := with_long_term(array.concat([mimir(7 * day)], compactor(90 * day, 90 * day, 365 * day)))
	{f.pointer | some f in ret_008.findings} == {"/retention/longTerm/0"} with input as inp
}

test_nothing_without_a_long_term_store if {
	count(ret_008.findings) == 0 with input as with_long_term([])
	count(ret_008.findings) == 0 with input as fx.unowned([], [])
}
