# ALR-006: a threshold alert waits (`for:`) long enough that one bad scrape or a short blip does
# not page. Burn-rate alerts are exempt: their short window already plays that role.
package obsgate.rules.alr_006

import data.obsgate.lib.fmt
import data.obsgate.lib.params
import data.obsgate.lib.rules

metadata := {
	"id": "ALR-006",
	"title": "Threshold alerts wait before firing",
	"severity": "warning",
	"description": concat(" ", [
		"An alert whose expression compares a value with a threshold must wait at least `min_for`",
		"(default 5m) in `for:` before it fires, so that one bad scrape, a restart or a short",
		"spike does not page. Multi-window burn-rate alerts (two or more windows joined with",
		"`and`, each compared with a threshold, also as Sloth's `(… and …) or (… and …)`) are",
		"exempt (pint rule/for).",
	]),
	"remediation": concat(" ", [
		"Set `for: 5m` (or longer) on the alert; change the minimum with the tier's",
		"`ALR-006: { min_for: … }` parameter in .obsgate.yaml.",
	]),
	"docs": "docs/rules/ALR-006.md",
	"waivable": true,
	"family": "ALR",
}

min_for := params.get("alr_006", "min_for_seconds", 300)

waits(rule) := rule.forSeconds if {
	is_number(rule.forSeconds)
} else := 0

findings contains f if {
	some i, rule in input.rules
	rules.is_alert(rule)
	count(rule.query.comparisons) > 0
	waits(rule) < min_for
	not rules.is_burn_rate(rule)
	f := {
		"rule": "ALR-006",
		"message": sprintf("%s %s; wait at least %s so that a single bad scrape or a short spike does not page", [rules.name(rule), waiting(rule), fmt.duration(min_for)]),
		"pointer": sprintf("/rules/%d/forSeconds", [i]),
	}
}

waiting(rule) := "fires as soon as its threshold is crossed (no for:)" if {
	waits(rule) == 0
} else := sprintf("waits only %s before firing (for: %s)", [fmt.duration(waits(rule)), fmt.duration(waits(rule))])
