# ALR-004: alerts that page (by default the critical ones) link a runbook over https, so whoever is
# woken knows what to do.
package obsgate.rules.alr_004

import data.obsgate.lib.params
import data.obsgate.lib.rules

metadata := {
	"id": "ALR-004",
	"title": "Critical alerts link an https runbook",
	"severity": "error",
	"description": concat(" ", [
		"Every alert whose `severity` label is one that requires a runbook (default: critical)",
		"must carry a `runbook_url` annotation that is an https:// link, so the person paged",
		"can act on it at once (OpenShift alerting consistency guidelines; pint rule/link).",
	]),
	"remediation": concat(" ", [
		"Add `runbook_url: https://…` under the alert's `annotations:`, pointing at the runbook",
		"for this alert; change which severities need one with the tier's",
		"`ALR-004: { runbook_required_for: […] }` parameter in .obsgate.yaml.",
	]),
	"docs": "docs/rules/ALR-004.md",
	"waivable": true,
	"family": "ALR",
}

required_for := params.get("alr_004", "runbook_required_for", ["critical"])

needs_runbook(rule) if {
	rules.is_alert(rule)
	severity := rules.label(rule, "severity")
	severity != ""
	severity in required_for
}

findings contains f if {
	some i, rule in input.rules
	needs_runbook(rule)
	trim_space(rules.annotation(rule, "runbook_url")) == ""
	f := {
		"rule": "ALR-004",
		"message": sprintf("%s (severity %s) has no runbook_url annotation; link its runbook with an https:// URL", [rules.name(rule), rules.label(rule, "severity")]),
		"pointer": rules.field_pointer(i, rule, "annotations", "runbook_url"),
	}
}

findings contains f if {
	some i, rule in input.rules
	needs_runbook(rule)
	url := trim_space(rules.annotation(rule, "runbook_url"))
	url != ""
	not https(url)
	f := {
		"rule": "ALR-004",
		"message": sprintf("%s (severity %s) has runbook_url %s, which is not an https:// link", [rules.name(rule), rules.label(rule, "severity"), url]),
		"pointer": sprintf("/rules/%d/annotations/runbook_url", [i]),
	}
}

https(url) if {
	startswith(lower(url), "https://")
	count(url) > count("https://")
}
