# COR-005: every metric of a model can be tied to it: it carries the model label, or the model
# exports a `<prefix>_model_info{model, model_version} 1` metric that the others join through.
package obsgate.rules.cor_005

import data.obsgate.lib.frameworks
import data.obsgate.lib.params

metadata := {
	"id": "COR-005",
	"title": "Metrics carry the model label or join through a model info metric",
	"severity": "warning",
	"description": concat(" ", [
		"Each declared metric carries the model label (parameter `model_label`, default `model`),",
		"unless the manifest declares an info metric `<prefix>_model_info` with the model label and",
		"`model_version`, which the other series join through (`… * on(instance) group_left(model,",
		"model_version) fraud_model_info`, the Prometheus `_info` convention). Names a serving",
		"framework emits itself are exempt when the manifest declares that framework: the",
		"framework sets its own model label.",
	]),
	"remediation": concat(" ", [
		"Add the model label to the metric, or export one gauge `<prefix>_model_info` with value 1",
		"and the labels `model` and `model_version`, and declare it; change the label with the",
		"tier's `COR-005: { model_label: … }` parameter in .obsgate.yaml.",
	]),
	"docs": "docs/rules/COR-005.md",
	"waivable": true,
	"family": "COR",
}

model_label := params.get("cor_005", "model_label", "model")

info_labels := [model_label, "model_version"]

is_info(m) if m.name == "model_info"

is_info(m) if endswith(m.name, "_model_info")

labels(m) := {l.name | some l in m.labels}

info_metrics := [i | some i, m in input.metrics; is_info(m)]

native(m) if frameworks.is_native(input.model.framework, m.name)

# Without an info metric, each metric must carry the model label itself.
findings contains f if {
	input.model != null
	count(info_metrics) == 0
	some i, m in input.metrics
	not model_label in labels(m)
	not native(m)
	f := {
		"rule": "COR-005",
		"message": sprintf("metric %s has no %s label, so its series cannot be tied to the model; add the label, or declare a %s_model_info gauge with labels %s and model_version to join on", [m.name, model_label, prefix(m.name), model_label]),
		"pointer": sprintf("/metrics/%d/labels", [i]),
	}
}

# An info metric is only a join if it carries both labels.
findings contains f if {
	input.model != null
	some i in info_metrics
	m := input.metrics[i]
	missing := [l | some l in info_labels; not l in labels(m)]
	count(missing) > 0
	f := {
		"rule": "COR-005",
		"message": sprintf("info metric %s lacks %s, so the model's other metrics cannot join to the model build through it; add %s", [m.name, concat(", ", missing), them(missing)]),
		"pointer": sprintf("/metrics/%d/labels", [i]),
	}
}

# The metric's first word, as the info metric's prefix ("fraud" for fraud_inference_requests_total).
prefix(name) := split(name, "_")[0]

them(xs) := "it" if {
	count(xs) == 1
} else := "them"
