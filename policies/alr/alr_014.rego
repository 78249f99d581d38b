# ALR-014: every alert of a model names the model in its labels, so that a page, a silence or an
# inhibition can be tied to the exact model without reading the rule file it came from.
package obsgate.rules.alr_014

import data.obsgate.lib.params
import data.obsgate.lib.rules

metadata := {
	"id": "ALR-014",
	"title": "Alerts carry the model's name",
	"severity": "warning",
	"description": concat(" ", [
		"Every alerting rule that belongs to a model (from a rule file its manifest lists) must set",
		"the model label (`model_label`, default `model`, the label that also assigns an alert to a",
		"model) to the model's name in its own or its group's `labels:`. Labels the query's series",
		"happen to carry are not counted: an aggregation drops them silently. An alert in a rule file",
		"that several manifests list belongs to all of them and is not checked.",
	]),
	"remediation": concat(" ", [
		"Add `model: <model name>` under the alert's `labels:` (or the group's); an alert that",
		"belongs to another model goes to that model's rule file. Change the label name with the",
		"tier's `ALR-014: { model_label: … }` parameter in .obsgate.yaml.",
	]),
	"docs": "docs/rules/ALR-014.md",
	"waivable": true,
	"family": "ALR",
}

model_label := params.get("alr_014", "model_label", "model")

findings contains f if {
	input.model != null
	some i, rule in input.rules
	rules.is_alert(rule)

	# An alert in a rule file several manifests list serves them all and cannot name one.
	count(object.get(rule, "owners", [])) <= 1
	labelled := rules.label(rule, model_label)
	labelled != input.model.name
	f := {
		"rule": "ALR-014",
		"message": sprintf("%s %s; set label %s: %s so that its pages can be tied to the model", [rules.name(rule), carries(labelled), model_label, input.model.name]),
		"pointer": rules.field_pointer(i, rule, "labels", model_label),
	}
}

carries(labelled) := sprintf("has no %s label", [model_label]) if {
	labelled == ""
} else := sprintf("names model %s in its %s label, though it is in a rule file of %s", [labelled, model_label, input.model.name])
