# ALR-005: alert names are CamelCase, as the Prometheus documentation writes them, so that one
# fleet's alerts read alike in Alertmanager, silences and routes.
package obsgate.rules.alr_005

import data.obsgate.lib.rules

metadata := {
	"id": "ALR-005",
	"title": "Alert names are CamelCase",
	"severity": "warning",
	"description": concat(" ", [
		"An alert's name must be CamelCase: a capital letter, then letters and digits only",
		"(`FraudDetectorHighLatency`; acronyms such as `KServeAPIDown` are fine). Hyphens,",
		"underscores, dots and spaces make names that routes, silences and dashboards must quote",
		"and that differ from the rest of the fleet (Prometheus alerting practices).",
	]),
	"remediation": concat(" ", [
		"Rename the alert in CamelCase (`fraud_detector_down` becomes `FraudDetectorDown`) and",
		"update the Alertmanager routes, inhibitions and silences that match its old name.",
	]),
	"docs": "docs/rules/ALR-005.md",
	"waivable": true,
	"family": "ALR",
}

camel_case(name) if regex.match(`^[A-Z][A-Za-z0-9]*$`, name)

# The name's words, each capitalised and joined: "cert-manager_absent" -> "CertManagerAbsent".
suggestion(name) := concat("", [capitalised(word) |
	some word in regex.split(`[^A-Za-z0-9]+`, name)
	word != ""
])

capitalised(word) := concat("", [upper(substring(word, 0, 1)), substring(word, 1, -1)])

fix(name) := sprintf("rename it %s", [suggestion(name)]) if {
	camel_case(suggestion(name))
} else := "rename it with a capital letter first, then letters and digits only (HighRequestLatency)"

findings contains f if {
	some i, rule in input.rules
	rules.is_alert(rule)
	is_string(rule.alert)
	not camel_case(rule.alert)
	f := {
		"rule": "ALR-005",
		"message": sprintf("alert name %s is not CamelCase; %s", [rule.alert, fix(rule.alert)]),
		"pointer": sprintf("/rules/%d/alert", [i]),
	}
}
