# ALR-003: every alert explains itself: a `summary` annotation (error) for the page's title and a
# `description` annotation (warning) for what happened and what it affects.
package obsgate.rules.alr_003

import data.obsgate.lib.rules

metadata := {
	"id": "ALR-003",
	"title": "Alerts carry summary and description annotations",
	"severity": "error",
	"description": concat(" ", [
		"Every alerting rule must have a `summary` annotation (error without it: it is the one line",
		"a pager, Slack or the Alertmanager UI shows) and should have a `description` annotation",
		"(warning without it: what happened, where, and what it affects) (OpenShift alerting",
		"consistency guidelines).",
	]),
	"remediation": concat(" ", [
		"Add both under the alert's `annotations:`, e.g. `summary: Fraud detector error budget is",
		"burning fast` and `description: {{ $labels.model }} has returned {{ $value | humanizePercentage }}",
		"errors over the last hour`.",
	]),
	"docs": "docs/rules/ALR-003.md",
	"waivable": true,
	"family": "ALR",
}

# annotation -> the severity of its absence.
required := {"summary": "error", "description": "warning"}

# Both findings point at the rule's annotations when neither annotation is there: the missing
# annotation is the key that tells them apart.
findings contains f if {
	some i, rule in input.rules
	rules.is_alert(rule)
	some key, severity in required
	trim_space(rules.annotation(rule, key)) == ""
	f := {
		"rule": "ALR-003",
		"severity": severity,
		"message": sprintf("%s has no %s annotation; %s", [rules.name(rule), key, advice[key]]),
		"pointer": rules.field_pointer(i, rule, "annotations", key),
		"key": key,
	}
}

advice := {
	"summary": "add one line saying what is wrong, for the page's title",
	"description": "add what happened, where, and what it affects, for whoever is paged",
}
