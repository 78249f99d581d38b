# ALR-009: alert labels are fixed per series. Prometheus identifies an alert by its labels, so a
# label templated from the alert's value or from a query result makes each new value a new alert:
# the old one resolves, a new one fires and notifies, and `for:` starts over (pint alerts/template).
package obsgate.rules.alr_009

import data.obsgate.lib.rules

metadata := {
	"id": "ALR-009",
	"title": "Alert labels do not template the value or query results",
	"severity": "error",
	"description": concat(" ", [
		"An alert's labels are its identity: a label whose template reads the alert's value",
		"(`{{ $value }}`, `{{ .Value }}`, `{{ $value | humanize }}`) or runs a query (`{{ query … }}`,",
		"whether or not it is built from `$labels`) changes between evaluations, so every change",
		"resolves the alert, fires a new one that notifies again and restarts `for:`. Templating",
		"`$labels.<name>` is fine (it is the series' identity), and annotations may use anything",
		"(pint alerts/template).",
	]),
	"remediation": concat(" ", [
		"Move the value or the query result into an annotation (`description: \"{{ $value | humanize }}",
		"errors per second\"`) and keep labels to fixed text or `$labels.<name>`.",
	]),
	"docs": "docs/rules/ALR-009.md",
	"waivable": true,
	"family": "ALR",
}

# The text inside each `{{ … }}` action of a template.
actions(template) := [m[1] | some m in regex.find_all_string_submatch_n(`(?s)\{\{(.*?)\}\}`, template, -1)]

# What a template action may read that changes between evaluations, and how a message names it.
changing := [
	{"pattern": `\$value\b|\$\.Value\b|(^|[^\w.$])\.Value\b`, "name": "the alert's value ($value)"},
	{"pattern": `(^|[^\w.$])query\b`, "name": "a query result (the query function)"},
]

reads(template) := {c.name |
	some c in changing
	some action in actions(template)
	regex.match(c.pattern, action)
}

findings contains f if {
	some i, rule in input.rules
	rules.is_alert(rule)
	is_object(rule.labels)
	some key, template in rule.labels
	is_string(template)
	read := reads(template)
	count(read) > 0
	f := {
		"rule": "ALR-009",
		"message": sprintf("%s templates %s in label %s (%s), so every new value makes it a new alert that notifies again; move it to an annotation", [rules.name(rule), concat(" and ", sort(read)), key, template]),
		"pointer": sprintf("/rules/%d/labels/%s", [i, key]),
	}
}
