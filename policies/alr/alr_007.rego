# ALR-007: an alert on absent() waits at least two scrape intervals, so that one scrape that fails
# or arrives late does not page: absent() is true from the first evaluation that finds no sample.
package obsgate.rules.alr_007

import data.obsgate.lib.fmt
import data.obsgate.lib.rules
import data.obsgate.lib.scrape

metadata := {
	"id": "ALR-007",
	"title": "Alerts on absent() wait for two scrape intervals",
	"severity": "warning",
	"description": concat(" ", [
		"An alert whose expression uses `absent()` must wait (`for:`) at least twice the scrape",
		"interval: the interval the Prometheus config, Operator resource or monitor the manifest",
		"names sets for the model's metrics, else `alr_007.default_scrape_interval_seconds` (1m).",
		"A single failed scrape otherwise fires it (pint alerts/absent).",
	]),
	"remediation": concat(" ", [
		"Set `for:` to at least twice the scrape interval (e.g. `for: 5m` with a 1m interval), or",
		"use `absent_over_time(metric[…])` over a window of several intervals.",
	]),
	"docs": "docs/rules/ALR-007.md",
	"waivable": true,
	"family": "ALR",
}

waits(rule) := rule.forSeconds if {
	is_number(rule.forSeconds)
} else := 0

findings contains f if {
	interval := scrape.interval("alr_007")
	some i, rule in input.rules
	rules.is_alert(rule)
	"absent" in rule.query.functions
	waits(rule) < 2 * interval
	f := {
		"rule": "ALR-007",
		"message": sprintf("%s uses absent() and %s; wait at least %s, twice the scrape interval (%s), so that one missed scrape does not fire it", [rules.name(rule), waiting(rule), fmt.duration(2 * interval), scrape.describe("alr_007")]),
		"pointer": sprintf("/rules/%d/forSeconds", [i]),
	}
}

waiting(rule) := "fires at the first evaluation without data (no for:)" if {
	waits(rule) == 0
} else := sprintf("waits only %s (for: %s)", [fmt.duration(waits(rule)), fmt.duration(waits(rule))])
