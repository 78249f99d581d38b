# COR-006: inference logs carry a request id, so one request (a complaint, a wrong prediction) can
# be followed through every log line it wrote.
package obsgate.rules.cor_006

import data.obsgate.lib.params

metadata := {
	"id": "COR-006",
	"title": "Inference logs include a request id",
	"severity": "warning",
	"description": concat(" ", [
		"When the manifest declares structured logs, their `fields` include the request id",
		"(parameter `request_id_field`, default `request_id`): without it, the log lines of one",
		"request cannot be found again when someone reports its outcome (structured inference",
		"logging practice).",
	]),
	"remediation": concat(" ", [
		"Log the request id (the one returned to the caller, e.g. from an `X-Request-ID` header) in",
		"every inference log line and list it in `logs.fields`; change the field name with the",
		"tier's `COR-006: { request_id_field: … }` parameter in .obsgate.yaml.",
	]),
	"docs": "docs/rules/COR-006.md",
	"waivable": true,
	"family": "COR",
}

request_id_field := params.get("cor_006", "request_id_field", "request_id")

findings contains f if {
	input.model != null
	is_object(input.logs)
	not request_id_field in {x | some x in input.logs.fields}
	f := {
		"rule": "COR-006",
		"message": sprintf("logs.fields has no %s, so the log lines of one request cannot be found again; log the request id in every inference log line and declare %s", [request_id_field, request_id_field]),
		"pointer": "/logs/fields",
	}
}
