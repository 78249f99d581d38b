package obsgate.rules.ret_007_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.ret_007

# The example declares traces kept 7d (168h).
kept(eff) := fx.example_with({"retention": object.union(fx.retention, {"effective": {"traces": eff}})})

test_the_example_passes if {
	count(ret_007.findings) == 0 with input as fx.example
}

test_longer_than_declared_passes if {
	count(ret_007.findings) == 0 with input as kept(fx.tempo_retention(1209600))
}

test_shorter_than_declared if {
	ret_007.findings == {{
		"rule": "RET-007",
		"message": "Tempo keeps traces 72h, less than the 168h the manifest declares: compactor.compaction.block_retention in config/tempo.yaml; raise it to at least 168h",
		"pointer": "/retention/effective/traces",
	}} with input as kept(fx.tempo_retention(259200))
}

test_the_default_is_named if {
	eff := object.union(fx.tempo_retention(1209600), {"setting": "compactor.compaction.block_retention (unset: Tempo default 336h)", "isDefault": true})
	inp := fx.example_with({"retention": {
		"declared": object.union(fx.retention.declared, {"tracesSeconds": 2592000}),
		"effective": object.union(fx.retention.effective, {"traces": eff}),
		"loki": fx.loki,
	}})
	ret_007.findings == {{
		"rule": "RET-007",
		"message": "Tempo keeps traces 336h, less than the 720h the manifest declares: compactor.compaction.block_retention (unset: Tempo default 336h) in config/tempo.yaml (the backend's default); raise it to at least 720h",
		"pointer": "/retention/effective/traces",
	}} with input as inp
}

test_no_declared_trace_retention_no_finding if {
	inp := fx.example_with({"retention": object.union(fx.retention, {"declared": {"tracesSeconds": null}, "effective": {"traces": fx.tempo_retention(3600)}})})
	count(ret_007.findings) == 0 with input as inp
}

test_no_tempo_config_no_finding if {
	count(ret_007.findings) == 0 with input as kept(null)
}

test_rule_files_no_model_owns_are_not_checked if {
	count(ret_007.findings) == 0 with input as fx.unowned([], [])
}
