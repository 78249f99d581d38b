package obsgate.rules.cor_009_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.cor_009

with_model(changes) := fx.example_with({"model": fx.replaced(fx.example_model, changes)})

no_version := {
	"rule": "COR-009",
	"message": "the manifest names no model version; set spec.model.version so alerts, logs and reports lead to one exact model build",
	"pointer": "/model/version",
}

no_training_data := {
	"rule": "COR-009",
	"message": "the manifest names no training data version; set spec.model.trainingData.version to the dataset version the model was trained on",
	"pointer": "/model/trainingData",
}

test_the_example_passes if {
	count(cor_009.findings) == 0 with input as fx.example
}

test_no_model_version if {
	cor_009.findings == {no_version} with input as with_model({"version": null})
	cor_009.findings == {no_version} with input as with_model({"version": " "})
}

test_no_training_data if {
	cor_009.findings == {no_training_data} with input as with_model({"trainingData": null})
}

test_training_data_without_a_version if {
	cor_009.findings == {no_training_data} with input as with_model({"trainingData": {"dataset": "transactions", "version": null}})
}

test_both_missing if {
	{f.pointer | some f in cor_009.findings} == {"/model/version", "/model/trainingData"} with input as with_model({"version": null, "trainingData": null})
}

test_not_checked_without_a_model if {
	count(cor_009.findings) == 0 with input as fx.unowned([], [])
}
