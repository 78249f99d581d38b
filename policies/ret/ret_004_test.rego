package obsgate.rules.ret_004_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.ret_004

with_loki(changes) := fx.example_with({"retention": object.union(fx.retention, {"loki": object.union(fx.loki, changes)})})

test_the_example_passes if {
	count(ret_004.findings) == 0 with input as fx.example
}

test_retention_not_enabled if {
	ret_004.findings == {{
		"rule": "RET-004",
		"message": "compactor.retention_enabled is not true in config/loki.yaml, so Loki never deletes logs; set compactor.retention_enabled: true",
		"pointer": "/retention/loki/retentionEnabled",
	}} with input as with_loki({"retentionEnabled": false})
}

test_no_delete_request_store if {
	ret_004.findings == {{
		"rule": "RET-004",
		"message": "compactor.delete_request_store is not set in config/loki.yaml, so Loki never deletes logs; set it to the object store that holds the index (e.g. s3, gcs, filesystem)",
		"pointer": "/retention/loki/deleteRequestStore",
	}} with input as with_loki({"deleteRequestStore": null})
	count(ret_004.findings) == 1 with input as with_loki({"deleteRequestStore": ""})
}

test_an_index_period_other_than_24h if {
	ret_004.findings == {{
		"rule": "RET-004",
		"message": "the schema in force in config/loki.yaml has an index period of 7d, so Loki never deletes logs; retention needs index: { period: 24h }",
		"pointer": "/retention/loki/indexPeriodSeconds",
	}} with input as with_loki({"indexPeriodSeconds": 604800})
}

test_no_index_period if {
	ret_004.findings == {{
		"rule": "RET-004",
		"message": "the schema in force in config/loki.yaml sets no index period, so Loki never deletes logs; retention needs index: { period: 24h }",
		"pointer": "/retention/loki/indexPeriodSeconds",
	}} with input as with_loki({"indexPeriodSeconds": null})
}

test_all_three_at_once if {
	inp := with_loki({"retentionEnabled": false, "deleteRequestStore": null, "indexPeriodSeconds": 604800})
	{f.pointer | some f in ret_004.findings} == {
		"/retention/loki/retentionEnabled",
		"/retention/loki/deleteRequestStore",
		"/retention/loki/indexPeriodSeconds",
	} with input as inp
}

test_messages_name_no_model if {
	inp := with_loki({"retentionEnabled": false, "deleteRequestStore": null, "indexPeriodSeconds": null})
	msgs := {f.message | some f in ret_004.findings} with input as inp
	other := {f.message | some f in ret_004.findings} with input as object.union(inp, {"model": {"name": "churn-predictor"}})
	msgs == other
	every m in msgs {
		not contains(m, "fraud-detector")
	}
}

test_without_a_loki_config_nothing_is_checked if {
	count(ret_004.findings) == 0 with input as fx.example_with({"retention": object.union(fx.retention, {"loki": null})})
	count(ret_004.findings) == 0 with input as fx.unowned([], [])
}
