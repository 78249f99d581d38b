# COR-009: the manifest names the model version and the version of the training data it was built
# from, so an alert and an audit trail lead to one exact model build.
package obsgate.rules.cor_009

metadata := {
	"id": "COR-009",
	"title": "The model version and its training data version are named",
	"severity": "error",
	"description": concat(" ", [
		"The manifest must name the model's version (`spec.model.version`) and the version of the",
		"training data it was built from (`spec.model.trainingData.version`): provenance ties an",
		"alert, a log line and a signed report to one exact model build and the data behind it.",
	]),
	"remediation": concat(" ", [
		"Set `spec.model.version` (e.g. v2.1.0) and `spec.model.trainingData: { dataset: …, version: … }`",
		"in the manifest, ideally from the build that produces the model.",
	]),
	"docs": "docs/rules/COR-009.md",
	"waivable": true,
	"family": "COR",
}

named(v) if {
	is_string(v)
	trim_space(v) != ""
}

# The model's version and its training data's version, when named.
has_version(model) if named(object.get(model, "version", null))

has_training_data_version(model) if {
	data_set := object.get(model, "trainingData", null)
	is_object(data_set)
	named(object.get(data_set, "version", null))
}

findings contains f if {
	input.model != null
	not has_version(input.model)
	f := {
		"rule": "COR-009",
		"message": "the manifest names no model version; set spec.model.version so alerts, logs and reports lead to one exact model build",
		"pointer": "/model/version",
	}
}

findings contains f if {
	input.model != null
	not has_training_data_version(input.model)
	f := {
		"rule": "COR-009",
		"message": "the manifest names no training data version; set spec.model.trainingData.version to the dataset version the model was trained on",
		"pointer": "/model/trainingData",
	}
}
