# ALR-011: every SLO is guarded by multi-window, multi-burn-rate alerts (Google SRE Workbook,
# "Alerting on SLOs"), at least the paging tier; a burn-rate alert over a single window is flagged.
package obsgate.rules.alr_011

import data.obsgate.lib.fmt
import data.obsgate.lib.rules

metadata := {
	"id": "ALR-011",
	"title": "SLOs have multi-window, multi-burn-rate alerts",
	"severity": "error",
	"description": concat(" ", [
		"Every SLO needs burn-rate alerts that compare its SLI error ratio over a long and a short",
		"window, joined with `and` (alone or as one branch of a top-level `or`, as Sloth writes",
		"them), with factor × (1 − objective). For a 30-day window the tiers are",
		"14.4× (1h and 5m) and 6× (6h and 30m) to page, 3× (1d and 2h) and 1× (3d and 6h) for a",
		"ticket; Pyrra's 28-day tiers 14×, 7×, 2×, 1× (1h/5m, 6h/30m, 1d/2h, 4d/6h) count too. An",
		"SLO without a paging tier (14.4× or 14× over 1h and 5m) is an error; an alert that compares",
		"a burn rate over a single window is a warning: it pages late or flaps (Google SRE",
		"Workbook, Alerting on SLOs, as implemented by Sloth and Pyrra).",
	]),
	"remediation": concat(" ", [
		"Generate the alerts with Sloth or Pyrra from the SLO, or write them by hand: e.g. for",
		"objective 0.999, `error_ratio_1h > 14.4 * (1 - 0.999) and error_ratio_5m > 14.4 * (1 -",
		"0.999)` with severity critical, and likewise 6× over 6h and 30m.",
	]),
	"docs": "docs/rules/ALR-011.md",
	"waivable": true,
	"family": "ALR",
}

# The burn-rate tiers, fastest first: 30-day Sloth / SRE Workbook, then Pyrra's 28-day ones.
workbook_tiers := [
	{"factor": 14.4, "long": 3600, "short": 300},
	{"factor": 6, "long": 21600, "short": 1800},
	{"factor": 3, "long": 86400, "short": 7200},
	{"factor": 1, "long": 259200, "short": 21600},
]

pyrra_tiers := [
	{"factor": 14, "long": 3600, "short": 300},
	{"factor": 7, "long": 21600, "short": 1800},
	{"factor": 2, "long": 86400, "short": 7200},
	{"factor": 1, "long": 345600, "short": 21600},
]

pyrra_window := 2419200

# The tiers an SLO's own window calls for first: Pyrra's for a 28-day SLO, the Workbook's otherwise.
tiers(slo) := array.concat(pyrra_tiers, workbook_tiers) if {
	slo.windowSeconds == pyrra_window
} else := array.concat(workbook_tiers, pyrra_tiers)

paging_factors := {14.4, 14}

# SLOs with what a message about them needs (the schema requires it; a hand-made input may not).
checked_slos[i] := slo if {
	some i, slo in input.slos
	is_string(slo.name)
	is_number(slo.objective)
	is_string(slo.sli.metric)
}

budget(slo) := 1 - slo.objective

histogram_suffixes := ["_bucket", "_count", "_sum"]

declared_histogram(name) if {
	some m in input.metrics
	m.name == name
	m.type == "histogram"
}

# The series an SLO's SLI is computed from: its metric, and a histogram's bucket, count and sum.
sli_series(slo) := {slo.sli.metric} | {concat("", [slo.sli.metric, s]) | some s in histogram_suffixes; declared_histogram(slo.sli.metric)}

# Indices of the alerts that read the SLO's SLI in some condition.
slo_alerts(slo) := {j |
	some j, rule in input.rules
	rules.is_alert(rule)
	series := sli_series(slo)
	some conditions in rules.alternatives(rule)
	some c in conditions
	some m in c.metrics
	m in series
}

threshold_of(c) := t if {
	t := c.comparison.threshold
	is_number(t)
}

# An alert of the SLO with a branch whose conditions are the tier's two windows, each above
# factor × budget.
has_tier(slo, tier) if {
	some j in slo_alerts(slo)
	some conditions in rules.alternatives(input.rules[j])
	windows := {c.windowSeconds | some c in conditions}
	windows == {tier.long, tier.short}
	expected := tier.factor * budget(slo)
	every c in conditions {
		rules.approx(threshold_of(c), expected)
	}
}

has_paging_tier(slo) if {
	some tier in tiers(slo)
	tier.factor in paging_factors
	has_tier(slo, tier)
}

# "14.4 × (1 − 0.999) = 0.0144"
threshold_text(slo, factor) := sprintf("%s × (1 − %s) = %s", [fmt.num(factor), fmt.num(slo.objective), fmt.num(factor * budget(slo))])

findings contains f if {
	input.model != null
	some i, slo in checked_slos
	not has_paging_tier(slo)
	tier := tiers(slo)[0]
	f := {
		"rule": "ALR-011",
		"severity": "error",
		"message": sprintf("SLO %s has no paging burn-rate alert: add an alert on %s that fires when its error ratio is above %s over both %s and %s", [slo.name, slo.sli.metric, threshold_text(slo, tier.factor), fmt.duration(tier.long), fmt.duration(tier.short)]),
		"pointer": sprintf("/slos/%d", [i]),
	}
}

# The first tier with this factor, in the order the SLO's window calls for.
tier_for(slo, factor) := [t | some t in tiers(slo); t.factor == factor][0]

window_text(c) := sprintf(" (%s)", [fmt.duration(c.windowSeconds)]) if {
	is_number(c.windowSeconds)
} else := ""

# What tells apart the single-window warnings about one alert (all at its expr): the SLO whose SLI
# it reads, the window it compares, and the tier whose factor its threshold is, e.g.
# "availability/1h/14.4". The threshold itself, a computed number, is not part of it.
single_window_key(slo, c, factor) := concat("/", [slo.name, window_key(c), fmt.num(factor)])

window_key(c) := fmt.duration(c.windowSeconds) if {
	is_number(c.windowSeconds)
} else := "none"

findings contains f if {
	input.model != null
	some slo in checked_slos
	some j in slo_alerts(slo)
	rule := input.rules[j]
	some conditions in rules.alternatives(rule)
	count(conditions) == 1
	c := conditions[0]
	t := threshold_of(c)
	factors := {tier.factor | some tier in tiers(slo); rules.approx(t, tier.factor * budget(slo))}
	some factor in factors
	tier := tier_for(slo, factor)
	f := {
		"rule": "ALR-011",
		"severity": "warning",
		"message": sprintf("%s compares the error ratio of SLO %s over a single window%s with %s: a single-window burn-rate alert pages late or flaps; require the %s and %s windows together with and", [rules.name(rule), slo.name, window_text(c), threshold_text(slo, factor), fmt.duration(tier.long), fmt.duration(tier.short)]),
		"pointer": sprintf("/rules/%d/expr", [j]),
		"key": single_window_key(slo, c, factor),
	}
}
