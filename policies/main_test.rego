package obsgate_test

import data.obsgate
import data.obsgate.lib.fixtures_test as fx

rule_ids := {
	"INS-001", "INS-002", "INS-003", "INS-004", "INS-005", "INS-006", "INS-007", "INS-008", "INS-009",
	"CAR-001", "CAR-002", "CAR-003", "CAR-004", "CAR-005",
	"ALR-001", "ALR-002", "ALR-003", "ALR-004", "ALR-005", "ALR-006", "ALR-008", "ALR-009",
	"ALR-007", "ALR-010", "ALR-011", "ALR-012", "ALR-013", "ALR-014",
	"RET-001", "RET-002", "RET-003", "RET-004", "RET-005", "RET-006", "RET-007", "RET-008", "RET-009",
	"COR-001", "COR-002", "COR-003", "COR-004", "COR-005", "COR-006", "COR-007", "COR-008", "COR-009",
}

# Rules whose findings carry their own severity because the rule has more than one level.
multi_level_rules := {"CAR-002", "ALR-003", "ALR-011", "COR-002"}

# The only rules that may fire on the input of rule files no model owns.
unowned_rules := {"ALR-001", "ALR-002", "ALR-003", "ALR-004", "ALR-005", "ALR-006", "ALR-007", "ALR-008", "ALR-009", "ALR-010"}

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
	count(obsgate.findings) == 0 with input as fx.example with data.fleet as fx.example_fleet
}

test_findings_gather_every_rule_and_carry_the_contract if {
	high_risk := obsgate.findings with input as everything_wrong with data.fleet as fx.example_fleet
	ordinary := obsgate.findings with input as ordinary_and_wrong with data.fleet as fx.example_fleet
	found := high_risk | ordinary
	{f.rule | some f in found} == rule_ids
	every f in found {
		f.rule in rule_ids
		is_string(f.message)
		startswith(f.pointer, "/")
		multi_level := f.rule in multi_level_rules
		has_severity(f) == multi_level
	}
}

has_severity(f) if {
	f.severity in {"error", "warning", "info"}
} else := false

# An input that breaks every rule at least once (given the example's fleet index as data.fleet).
everything_wrong := fx.example_with({
	"model": object.union(fx.example_model, {"version": null, "type": "generative"}),
	"metrics": [
		fx.metric("fraud:requests", "counter", [fx.label("user_id", 50000), fx.label("region", null)]),
		fx.summary("fraud_latency_seconds_total", [], [0.5]),
		fx.histogram("fraud_inference_latency_ms", [fx.label("model", 1)], [0.5, 1]),
	],
	"slos": [fx.latency_slo("latency-p95", "fraud_latency_seconds_total", 0.2)],
	"logs": object.union(fx.example_logs, {"fields": ["timestamp", "level"], "stream": {"trace_id": "4bf92f35"}}),
	"traces": object.union(fx.example_traces, {"propagators": ["b3"], "metricDimensions": ["url.path"]}),
	"drift": {"metric": "fraud_feature_drift", "method": null, "threshold": null},
	"payloadLogging": {"inputs": true, "outputs": false, "redaction": null, "retentionSeconds": null},
	"resource": {"deployment.environment.name": ""},
	"scrape": {
		"intervalSeconds": 30, "intervalSetting": "global.scrape_interval", "intervalIsDefault": false,
		"intervalFile": "platform/prometheus.yml",
		"jobs": [{
			"name": "fraud-api", "source": "prometheus-config", "file": "platform/prometheus.yml", "intervalSeconds": 30,
			"sampleLimit": null, "labelLimit": 30, "labelValueLengthLimit": null,
		}],
	},
	"collector": {"files": ["platform/otel.yaml"], "tracesPipelines": ["traces"], "tailSampling": [{
		"id": "tail_sampling", "file": "platform/otel.yaml", "pipelines": ["traces"], "decisionWaitSeconds": 1,
		"decisionWaitIsDefault": false, "keepsErrors": false,
		"policies": [{"name": "ten-percent", "type": "probabilistic", "statusCodes": []}],
	}]},
	"rules": [
		fx.replaced(fx.threshold_alert("FraudDown", "fraud_requests_total"), {
			"forSeconds": 0,
			"labels": {"severity": "page"},
			"annotations": {},
		}),
		fx.replaced(fx.threshold_alert("FraudCritical", "fraud_inference_requests_total"), {"annotations": {"summary": "s", "description": "d"}}),
		fx.alert("FraudBroken", "rate(x[5m]", fx.broken_query("unclosed left parenthesis", 5)),
		fx.replaced(
			fx.alert("fraud_requests_seen", "fraud_requests_total", object.union(
				fx.query([fx.condition(["fraud_requests_total"], null, null)]),
				{"selectors": [{"metric": "fraud_requests_total", "matchers": [], "rangeSeconds": null, "function": null, "aggregatedInside": false}]},
			)),
			{"labels": {"severity": "info", "seen": "{{ $value }}"}},
		),
		fx.replaced(
			fx.alert("FraudRequestsAbsent", "absent(fraud_inference_requests_total)", object.union(
				fx.query([fx.condition(["fraud_inference_requests_total"], null, null)]),
				{"functions": ["absent"]},
			)),
			{"forSeconds": 0},
		),
	],
	"ruleProblems": [{"file": fx.rules_file, "message": "groups[1]: group has no name"}],
	"retention": {
		"declared": {"metricsSeconds": 2592000, "logsSeconds": 2592000, "tracesSeconds": 2592000},
		"effective": {
			"metrics": object.union(
				fx.effective(86400, "prometheus-operator", "spec.retention (unset: Prometheus Operator default 24h)", "deploy/prometheus.yaml"),
				{"isDefault": true},
			),
			"logs": fx.loki_retention(2592000),
			"traces": fx.tempo_retention(1209600),
		},
		"loki": object.union(fx.loki, {"retentionEnabled": false}),
		"longTerm": [object.union(
			fx.effective(null, "mimir", "limits.compactor_blocks_retention_period (unset: default 0, blocks are never deleted)", "platform/mimir.yaml"),
			{"isDefault": true},
		)],
	},
})

# RET-005 applies only to high-risk models and RET-006 only to the others: no one input breaks both.
ordinary_and_wrong := fx.replaced(everything_wrong, {
	"model": object.union(everything_wrong.model, {"riskClass": null}),
	"retention": object.union(everything_wrong.retention, {"effective": {"logs": fx.loki_retention(7776000)}}),
})

test_on_rule_files_no_model_owns_only_the_rule_file_checks_fire if {
	found := obsgate.findings with input as fx.unowned(everything_wrong.rules, everything_wrong.ruleProblems)
		with data.fleet as fx.example_fleet
	{f.rule | some f in found} == unowned_rules
}

# An input that makes several rules report more than one finding at one pointer: INS-001's three
# signals at /metrics, COR-002's three fields at /logs/fields, ALR-003's two annotations, ALR-013's
# unknown metrics and ALR-011's single windows, for two SLOs, all on one alert.
colliding := fx.example_with({
	"metrics": [],
	"slos": [fx.availability_slo, object.union(fx.availability_slo, {"name": "availability-eu"})],
	"logs": object.union(fx.example_logs, {"fields": ["timestamp", "level"]}),
	"rules": [fx.replaced(
		fx.alert("FraudBurn", "r1h > … or r6h > …", fx.query_any([
			[fx.above(["fraud_inference_requests_total", "a_total", "b_total"], 3600, 0.0144)],
			[fx.above(["fraud_inference_requests_total"], 21600, 0.006)],
		])),
		{"annotations": {}},
	)],
})

identity(f) := [f.rule, f.pointer, object.get(f, "key", null)]

test_no_two_findings_share_rule_pointer_and_key if {
	every inp in [fx.example, everything_wrong, colliding] {
		found := obsgate.findings with input as inp with data.fleet as fx.example_fleet
		count({identity(f) | some f in found}) == count(found)
	}
}

test_the_colliding_input_does_report_findings_at_one_pointer if {
	found := obsgate.findings with input as colliding with data.fleet as fx.example_fleet
	shared := {[rule, pointer] |
		some f in found
		rule := f.rule
		pointer := f.pointer
		count({g | some g in found; g.rule == rule; g.pointer == pointer}) > 1
	}
	{rule | some [rule, _] in shared} == {"INS-001", "COR-002", "ALR-003", "ALR-011", "ALR-013"}
	count({identity(f) | some f in found}) == count(found)
}
