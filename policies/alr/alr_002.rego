# ALR-002: every alert carries a `severity` label with one of the values the organisation routes on.
package obsgate.rules.alr_002

import data.obsgate.lib.params
import data.obsgate.lib.rules

metadata := {
	"id": "ALR-002",
	"title": "Alerts carry an allowed severity label",
	"severity": "error",
	"description": concat(" ", [
		"Every alerting rule must set `labels.severity` to one of the allowed values (default",
		"critical, warning, info): Alertmanager routes, silences and inhibits on it, so an alert",
		"without one, or with a value nobody routes, pages no one or the wrong people",
		"(OpenShift alerting consistency guidelines; pint rule/label).",
	]),
	"remediation": concat(" ", [
		"Add `severity: critical`, `warning` or `info` under the alert's `labels:`; change the",
		"allowed values with the tier's `ALR-002: { allowed: […] }` parameter in .obsgate.yaml.",
	]),
	"docs": "docs/rules/ALR-002.md",
	"waivable": true,
	"family": "ALR",
}

allowed := params.get("alr_002", "allowed", ["critical", "warning", "info"])

allowed_text := concat(", ", [v | some v in allowed; is_string(v)])

findings contains f if {
	some i, rule in input.rules
	rules.is_alert(rule)
	rules.label(rule, "severity") == ""
	f := {
		"rule": "ALR-002",
		"message": sprintf("%s has no severity label; set labels.severity to one of %s", [rules.name(rule), allowed_text]),
		"pointer": rules.field_pointer(i, rule, "labels", "severity"),
	}
}

findings contains f if {
	some i, rule in input.rules
	rules.is_alert(rule)
	severity := rules.label(rule, "severity")
	severity != ""
	not severity in allowed
	f := {
		"rule": "ALR-002",
		"message": sprintf("%s has severity %s, which is not one of %s", [rules.name(rule), severity, allowed_text]),
		"pointer": sprintf("/rules/%d/labels/severity", [i]),
	}
}
