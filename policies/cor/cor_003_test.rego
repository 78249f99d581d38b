package obsgate.rules.cor_003_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.cor_003

with_resource(resource) := fx.replaced(fx.example, {"resource": resource})

test_the_example_passes if {
	count(cor_003.findings) == 0 with input as fx.example
}

test_a_missing_version_and_environment if {
	cor_003.findings == {{
		"rule": "COR-003",
		"message": "the resource lacks service.version, deployment.environment.name, so telemetry cannot be grouped by service, release and environment; set them in the SDK's resource and declare them under resource",
		"pointer": "/resource",
	}} with input as with_resource({"service.name": "fraud-api"})
}

test_the_deprecated_environment_attribute if {
	cor_003.findings == {{
		"rule": "COR-003",
		"message": "the resource lacks deployment.environment.name (deployment.environment is deprecated: rename it to deployment.environment.name), so telemetry cannot be grouped by service, release and environment; set it in the SDK's resource and declare it under resource",
		"pointer": "/resource",
	}} with input as with_resource({"service.name": "fraud-api", "service.version": "2.1.0", "deployment.environment": "production"})
}

test_an_empty_value_is_missing if {
	{f.pointer | some f in cor_003.findings} == {"/resource"} with input as with_resource({"service.name": "", "service.version": "2.1.0", "deployment.environment.name": "production"})
}

test_no_resource_and_no_telemetry_is_not_checked if {
	count(cor_003.findings) == 0 with input as fx.healthy
	count(cor_003.findings) == 0 with input as fx.unowned([], [])
}

test_logs_or_traces_need_a_resource if {
	{f.pointer | some f in cor_003.findings} == {"/resource"} with input as fx.replaced(fx.example, {"resource": {}, "logs": null})
	{f.pointer | some f in cor_003.findings} == {"/resource"} with input as fx.replaced(fx.example, {"resource": {}, "traces": null})
}
