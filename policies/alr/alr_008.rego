# ALR-008: an alert's expression filters with a condition. Prometheus fires an alert for every
# series its expression returns, so an expression without a comparison fires whenever the metric
# exists, whatever its value (pint alerts/comparison).
package obsgate.rules.alr_008

import data.obsgate.lib.rules

metadata := {
	"id": "ALR-008",
	"title": "Alert expressions contain a comparison",
	"severity": "warning",
	"description": concat(" ", [
		"An alerting rule fires for every series its expression returns, so the expression must",
		"keep only the series in trouble: a comparison without `bool` (`> 0.5`, `== 0`) or an",
		"`unless`. Expressions that watch for missing data (`absent()`, `absent_over_time()`) and",
		"expressions that read no series at all (`vector(1)`, the Watchdog that must always fire)",
		"are exempt. A comparison with `bool` returns 0 or 1 for every series instead of dropping",
		"any, so it counts as none (pint alerts/comparison).",
	]),
	"remediation": concat(" ", [
		"Compare the expression with the threshold at which somebody must act",
		"(`rate(errors_total[5m]) > 0`, `up == 0`), and drop any `bool` modifier from that comparison.",
	]),
	"docs": "docs/rules/ALR-008.md",
	"waivable": true,
	"family": "ALR",
}

# Functions whose result exists only when data is missing: they filter by themselves.
absence_functions := {"absent", "absent_over_time"}

filters(query) if {
	some c in query.comparisons
	c.bool == false
}

filters(query) if "unless" in query.joins

filters(query) if {
	some fn in query.functions
	fn in absence_functions
}

# `vector(1)` and other constant expressions: meant to fire all the time.
reads_no_series(query) if count(query.selectors) == 0

findings contains f if {
	some i, rule in input.rules
	rules.is_alert(rule)
	is_object(rule.query)
	rule.query.error == null
	not filters(rule.query)
	not reads_no_series(rule.query)
	f := {
		"rule": "ALR-008",
		"message": sprintf("%s %s; %s", [rules.name(rule), problem(rule.query), "compare it with the threshold at which somebody must act (such as > 0 or == 0)"]),
		"pointer": sprintf("/rules/%d/query", [i]),
	}
}

problem(query) := "compares only with bool, which returns 0 or 1 for every series instead of dropping any, so it fires whenever the metric exists" if {
	count(query.comparisons) > 0
} else := "has no comparison, so it fires for every series its expression returns, whatever the value"
