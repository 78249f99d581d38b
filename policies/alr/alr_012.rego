# ALR-012: every SLI metric has an alert that fires when its data is missing. An SLO's burn-rate
# alerts compare ratios of that metric; when it stops being scraped, or is renamed, or loses the
# label they select on, the ratios return nothing and those alerts stay silent while the SLO burns
# (Pyrra generates such an alert, SLOMetricAbsent, for every SLO).
package obsgate.rules.alr_012

import data.obsgate.lib.rules

metadata := {
	"id": "ALR-012",
	"title": "Each SLI metric has an absent-data alert",
	"severity": "warning",
	"description": concat(" ", [
		"For every metric an SLO of the model uses as its SLI, one of the model's alerts must read",
		"it directly inside `absent()` or `absent_over_time()` (for a histogram, its `_bucket`,",
		"`_count` or `_sum` series count too). `up == 0` does not count: the target can be up while",
		"the metric is renamed, dropped by relabelling or missing the selected labels, which is what",
		"silences SLO alerts. An absent() over a recording rule does not count either (Pyrra).",
	]),
	"remediation": concat(" ", [
		"Add an alert on `absent(<SLI metric>{<the SLI's selector>})` with `for:` of a few scrape",
		"intervals to the model's rule file.",
	]),
	"docs": "docs/rules/ALR-012.md",
	"waivable": true,
	"family": "ALR",
}

absence_functions := {"absent", "absent_over_time"}

# The series Prometheus stores for a metric the manifest declares by name.
series(metric) := {metric, concat("", [metric, "_bucket"]), concat("", [metric, "_count"]), concat("", [metric, "_sum"])}

# Metrics that some alert of the model reads straight inside absent() or absent_over_time().
watched contains s.metric if {
	some rule in input.rules
	rules.is_alert(rule)
	some s in rule.query.selectors
	s.function in absence_functions
	is_string(s.metric)
}

sli_metrics contains slo.sli.metric if {
	some slo in input.slos
	is_string(slo.sli.metric)
}

# The series an absent-data alert should watch: a histogram's `_count`, one series per label set.
suggested(metric) := concat("", [metric, "_count"]) if {
	some m in input.metrics
	m.name == metric
	m.type in {"histogram", "summary"}
} else := metric

findings contains f if {
	input.model != null
	some metric in sli_metrics
	count(series(metric) & watched) == 0
	slos := sort({slo.name | some slo in input.slos; slo.sli.metric == metric})
	first := min({j | some j, slo in input.slos; slo.sli.metric == metric})
	f := {
		"rule": "ALR-012",
		"message": sprintf("SLI metric %s (SLO %s) has no absent-data alert: if it stops being scraped or is renamed, the SLO's alerts see no data and stay silent; add an alert on absent(%s{…}) with the SLI's selector", [metric, concat(", ", slos), suggested(metric)]),
		"pointer": sprintf("/slos/%d/sli/metric", [first]),
	}
}
