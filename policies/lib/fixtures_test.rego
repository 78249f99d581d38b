# Builders for minimal ModelInput values, shared by the rule tests. Test-only: the file name ends
# in _test.rego, so `opa build --ignore '*_test.rego'` leaves it out of the bundle.
package obsgate.lib.fixtures_test

model := {
	"name": "fraud-detector",
	"version": "v2.1.0",
	"owner": "team-risk",
	"tier": "critical",
	"riskClass": null,
	"type": "predictive",
	"framework": null,
	"trainingData": null,
	"timeoutSeconds": 2,
	"file": "models/fraud-detector.obsgate.yaml",
}

label(name, values) := {"name": name, "values": values}

metric(name, type, labels) := {
	"name": name,
	"type": type,
	"role": null,
	"labels": labels,
	"buckets": null,
	"native": false,
	"quantiles": null,
}

histogram(name, labels, buckets) := object.union(metric(name, "histogram", labels), {"buckets": buckets})

summary(name, labels, quantiles) := object.union(metric(name, "summary", labels), {"quantiles": quantiles})

with_role(m, role) := object.union(m, {"role": role})

latency_slo(name, sli_metric, threshold) := {
	"name": name,
	"objective": 0.95,
	"windowSeconds": 2592000,
	"sli": {"metric": sli_metric, "thresholdSeconds": threshold, "errorSelector": null},
}

model_input(metrics) := {"model": model, "metrics": metrics, "slos": [], "params": {}}

model_input_with(metrics, extra) := object.union(model_input(metrics), extra)

# The three signals INS-001 asks for, as the fraud-detector example declares them.
requests := metric("fraud_inference_requests_total", "counter", [
	label("model", 1), label("model_version", 3), label("region", 12), label("status_code", 6),
])

latency := histogram(
	"fraud_inference_latency_seconds",
	[label("model", 1), label("model_version", 3), label("region", 12)],
	[0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5],
)

healthy := model_input([requests, latency])

# --- Alert and recording rules (ModelInputRule, with the PromQuery the TypeScript side parses) ---

rules_file := "alerts/fraud-detector.rules.yaml"

comparison(op, threshold) := {"op": op, "bool": false, "threshold": threshold}

# One branch of a query's top-level `and` chain; `cmp` is a comparison() or null.
condition(metrics, window, cmp) := {"metrics": metrics, "recorded": [], "windowSeconds": window, "comparison": cmp}

# The error ratio of `metrics` over `window`, compared `> threshold`.
above(metrics, window, threshold) := condition(metrics, window, comparison(">", threshold))

# A parsed query made of `conditions` joined with `and`.
query(conditions) := query_any([conditions])

_joins(alternatives) := {
	"and": count([cs | some cs in alternatives; count(cs) > 1]) > 0,
	"or": count(alternatives) > 1,
}

# A parsed query made of `alternatives` joined with `or`, each a list of conditions joined with `and`.
query_any(alternatives) := {
	"error": null,
	"metrics": sort({m | some cs in alternatives; some c in cs; some m in c.metrics}),
	"functions": [],
	"selectors": [],
	"ranges": [w | some cs in alternatives; some c in cs; w := c.windowSeconds; w != null],
	"subqueries": [],
	"comparisons": [c.comparison | some cs in alternatives; some c in cs; c.comparison != null],
	"joins": [j | some j in ["and", "or"]; _joins(alternatives)[j]],
	"aggregations": [],
	"alternatives": alternatives,
}

# A query that does not parse.
broken_query(message, column) := object.union(query([]), {"error": {"message": message, "column": column}})

alert(name, expr, q) := {
	"file": rules_file,
	"group": "fraud-detector",
	"alert": name,
	"record": null,
	"type": "alert",
	"expr": expr,
	"forSeconds": 300,
	"labels": {"severity": "critical", "model": "fraud-detector"},
	"annotations": {
		"summary": "Fraud detector alert",
		"description": "The fraud detector needs attention",
		"runbook_url": "https://runbooks.example.com/fraud-detector",
	},
	"query": q,
	"ownedBy": ["file"],
	"owners": ["fraud-detector"],
}

record(name, expr, q) := {
	"file": rules_file,
	"group": "fraud-detector-recordings",
	"alert": null,
	"record": name,
	"type": "record",
	"expr": expr,
	"forSeconds": 0,
	"labels": {},
	"annotations": {},
	"query": q,
	"ownedBy": ["file"],
	"owners": ["fraud-detector"],
}

# `obj` with the keys of `changes` replaced whole (object.union would merge nested objects).
replaced(obj, changes) := object.union(object.remove(obj, object.keys(changes)), changes)

# A threshold alert that reads `metric` and waits 5m.
threshold_alert(name, metric) := alert(name, sprintf("rate(%s[5m]) > 10", [metric]), query([above([metric], 300, 10)]))

# An alert that fires when `metric` is missing: `absent(metric)`.
absent_alert(name, metric) := alert(name, sprintf("absent(%s)", [metric]), object.union(query([condition([metric], null, null)]), {
	"functions": ["absent"],
	"selectors": [{"metric": metric, "matchers": [], "rangeSeconds": null, "function": "absent", "aggregatedInside": false}],
}))

# --- SLOs and their multi-window, multi-burn-rate alerts ---

availability_slo := {
	"name": "availability",
	"objective": 0.999,
	"windowSeconds": 2592000,
	"sli": {"metric": "fraud_inference_requests_total", "thresholdSeconds": null, "errorSelector": "status_code=~\"5..\""},
}

p95_slo := latency_slo("latency-p95", "fraud_inference_latency_seconds", 0.2)

# A burn-rate alert: the SLI error ratio over `long` and over `short` both above `threshold`.
burn_alert(name, metrics, long, short, threshold) := alert(
	name,
	sprintf("error_ratio[%ds] > %v and error_ratio[%ds] > %v", [long, threshold, short, threshold]),
	query([above(metrics, long, threshold), above(metrics, short, threshold)]),
)

availability_metrics := ["fraud_inference_requests_total"]

latency_metrics := ["fraud_inference_latency_seconds_bucket", "fraud_inference_latency_seconds_count"]

# --- Retention ---

effective(seconds, backend, setting, file) := {
	"seconds": seconds,
	"backend": backend,
	"setting": setting,
	"isDefault": false,
	"file": file,
}

prometheus_retention(seconds) := effective(seconds, "prometheus", "--storage.tsdb.retention.time", "deploy/prometheus.yaml")

loki_retention(seconds) := effective(seconds, "loki", "limits_config.retention_period", "config/loki.yaml")

tempo_retention(seconds) := effective(seconds, "tempo", "compactor.compaction.block_retention", "config/tempo.yaml")

loki := {
	"file": "config/loki.yaml",
	"retentionEnabled": true,
	"deleteRequestStore": "s3",
	"indexPeriodSeconds": 86400,
}

retention := {
	"declared": {"metricsSeconds": 2592000, "logsSeconds": 15897600, "tracesSeconds": 604800},
	"effective": {
		"metrics": prometheus_retention(2592000),
		"logs": loki_retention(15897600),
		"traces": tempo_retention(604800),
	},
	"loki": loki,
}

# --- The full fraud-detector example (../shared/examples/fraud-detector.obsgate.yaml) ---

example_model := object.union(model, {
	"riskClass": "high-risk",
	"framework": "kserve",
	"trainingData": {"dataset": "transactions", "version": "2026-10-01"},
})

example_logs := {
	"format": "json",
	"fields": [
		"timestamp", "level", "service", "model_name", "model_version", "request_id",
		"trace_id", "span_id", "trace_flags", "latency_ms", "status_code",
	],
	"tenant": "risk",
	"stream": {"service": "fraud-api", "level": "info", "region": "eu-west-1"},
}

example_traces := {
	"propagators": ["tracecontext", "baggage"],
	"spans": ["fraud-api.encode_features", "fraud-api.predict", "fraud-api.postprocess"],
	"attributes": ["model_name", "model_version", "cache_hit"],
	"metricDimensions": [],
	"sampling": {"strategy": "tail", "keepErrors": true, "ratio": 0.1},
}

# Page and ticket tiers for both SLOs, as Sloth writes them, a threshold alert, and an absent-data
# alert for each SLI metric.
example_rules := [
	burn_alert("FraudAvailabilityBurnFast", availability_metrics, 3600, 300, 14.4 * 0.0009999999999998899),
	burn_alert("FraudAvailabilityBurnSlow", availability_metrics, 21600, 1800, 6 * 0.0009999999999998899),
	burn_alert("FraudLatencyBurnFast", latency_metrics, 3600, 300, 14.4 * 0.05),
	burn_alert("FraudLatencyBurnSlow", latency_metrics, 21600, 1800, 6 * 0.05),
	threshold_alert("FraudDetectorHighLatency", "fraud_inference_latency_seconds_bucket"),
	absent_alert("FraudRequestsAbsent", "fraud_inference_requests_total"),
	absent_alert("FraudLatencyAbsent", "fraud_inference_latency_seconds_count"),
]

example := {
	"apiVersion": "obsgate.dev/model-input/v1",
	"model": example_model,
	"metrics": [requests, latency],
	"slos": [availability_slo, p95_slo],
	"logs": example_logs,
	"traces": example_traces,
	"drift": null,
	"payloadLogging": null,
	"resource": {
		"service.name": "fraud-api",
		"service.version": "2.1.0",
		"deployment.environment.name": "production",
	},
	"alerts": {"files": [rules_file]},
	"rules": example_rules,
	"ruleProblems": [],
	"retention": retention,
	"params": {},
	"manifest": {},
}

example_with(extra) := object.union(example, extra)

# --- The fleet index, which reaches policies once per run as data.fleet, not in the input ---

# A list of names in the form data.fleet holds it: an object from name to true.
name_set(names) := {name: true | some name in names}

# The fleet index as policies read it, with each list in the set form (`with data.fleet as …`).
fleet(models, metrics, series, recorded) := {
	"models": name_set(models),
	"metrics": name_set(metrics),
	"series": name_set(series),
	"recorded": name_set(recorded),
}

# The metrics the example declares, and every series they expose.
example_metrics := ["fraud_inference_latency_seconds", "fraud_inference_requests_total"]

example_series := [
	"fraud_inference_latency_seconds",
	"fraud_inference_latency_seconds_bucket",
	"fraud_inference_latency_seconds_count",
	"fraud_inference_latency_seconds_sum",
	"fraud_inference_requests_total",
]

# The example's fleet index with `series` and `recorded` as given (lists of names).
fleet_data(series, recorded) := fleet([model.name], example_metrics, series, recorded)

# The fleet index of a run over the example alone.
example_fleet := fleet_data(example_series, [])

# The input for alert rule files that no model owns: no model, no metrics, SLOs, logs or traces.
unowned(rules, problems) := {
	"apiVersion": "obsgate.dev/model-input/v1",
	"model": null,
	"metrics": [],
	"slos": [],
	"logs": null,
	"traces": null,
	"drift": null,
	"payloadLogging": null,
	"resource": {},
	"alerts": {"files": []},
	"rules": rules,
	"ruleProblems": problems,
	"retention": {
		"declared": {"metricsSeconds": null, "logsSeconds": null, "tracesSeconds": null},
		"effective": {"metrics": null, "logs": null, "traces": null},
		"loki": null,
	},
	"params": {},
	"manifest": null,
}

# A Sloth alert: a severity's two window pairs joined with `or`, over its recording rules
# (`slo:sli_error:ratio_rate5m` …, resolved by the TypeScript side to the SLI metric they read).
sloth_alert(name, metrics, pairs) := alert(name, "(… and …) or (… and …)", query_any([[
	above(metrics, pair[0], pair[2]),
	above(metrics, pair[1], pair[2]),
] |
	some pair in pairs
]))
