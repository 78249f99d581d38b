# COR-003: the OpenTelemetry resource names the service, its version and its environment, so that
# telemetry from every signal can be grouped by release and told apart between environments.
package obsgate.rules.cor_003

metadata := {
	"id": "COR-003",
	"title": "The resource names the service, its version and environment",
	"severity": "warning",
	"description": concat(" ", [
		"When the manifest declares logs, traces or resource attributes, the resource sets",
		"`service.name`, `service.version` and `deployment.environment.name` (OpenTelemetry",
		"resource semantic conventions; `deployment.environment` was renamed",
		"`deployment.environment.name`): without them, traces, logs and metrics from staging and",
		"production, or from two releases, cannot be told apart.",
	]),
	"remediation": concat(" ", [
		"Set the attributes in the SDK's resource (`OTEL_SERVICE_NAME`,",
		"`OTEL_RESOURCE_ATTRIBUTES=service.version=2.1.0,deployment.environment.name=production`)",
		"and declare them under `resource`.",
	]),
	"docs": "docs/rules/COR-003.md",
	"waivable": true,
	"family": "COR",
}

required := ["service.name", "service.version", "deployment.environment.name"]

# The model emits OpenTelemetry telemetry that a resource describes.
describes_telemetry if input.logs != null

describes_telemetry if input.traces != null

describes_telemetry if count(input.resource) > 0

missing := [k | some k in required; object.get(input.resource, k, "") == ""]

deprecated_note := " (deployment.environment is deprecated: rename it to deployment.environment.name)" if {
	"deployment.environment.name" in missing
	object.get(input.resource, "deployment.environment", "") != ""
} else := ""

findings contains f if {
	input.model != null
	describes_telemetry
	count(missing) > 0
	f := {
		"rule": "COR-003",
		"message": sprintf("the resource lacks %s%s, so telemetry cannot be grouped by service, release and environment; set %s in the SDK's resource and declare %s under resource", [concat(", ", missing), deprecated_note, them(missing), them(missing)]),
		"pointer": "/resource",
	}
}

them(keys) := "it" if {
	count(keys) == 1
} else := "them"
