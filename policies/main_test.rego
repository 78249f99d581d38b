package obsgate_test

import data.obsgate
import data.obsgate.lib.fixtures_test as fx

rule_ids := {"INS-001", "INS-002", "INS-003", "INS-005", "INS-006", "CAR-001", "CAR-002"}

metadata_keys := {"id", "title", "severity", "description", "remediation", "docs", "waivable", "family"}

test_metadata_lists_every_rule if {
	{id | some id, _ in obsgate.metadata} == rule_ids
}

test_metadata_is_complete_and_consistent if {
	every id, m in obsgate.metadata {
		{k | some k, _ in m} == metadata_keys
		m.id == id
		m.severity in {"error", "warning", "info"}
		m.docs == concat("", ["docs/rules/", id, ".md"])
		m.family == split(id, "-")[0]
		is_boolean(m.waivable)
		every k in ["title", "description", "remediation"] {
			is_string(m[k])
			m[k] != ""
		}
	}
}

test_the_example_has_no_findings if {
	inp := fx.model_input_with([fx.requests, fx.latency], {"slos": [fx.latency_slo("latency-p95", "fraud_inference_latency_seconds", 0.2)]})
	count(obsgate.findings) == 0 with input as inp
}

test_findings_gather_every_rule_and_carry_the_contract if {
	inp := fx.model_input_with(
		[
			fx.metric("fraud:requests", "counter", [fx.label("user_id", 50000), fx.label("region", null)]),
			fx.summary("fraud_latency_seconds_total", [], [0.5]),
		],
		{"slos": [fx.latency_slo("latency-p95", "fraud_latency_seconds_total", 0.2)]},
	)
	found := obsgate.findings with input as inp
	{f.rule | some f in found} == rule_ids
	every f in found {
		f.rule in rule_ids
		is_string(f.message)
		startswith(f.pointer, "/")
		multi_level := f.rule == "CAR-002"
		has_severity(f) == multi_level
	}
}

has_severity(f) if {
	f.severity in {"error", "warning", "info"}
} else := false
