# COR-004: every inference log line and span names the model and its version, so an incident can be
# tied to the exact model build that served the request.
package obsgate.rules.cor_004

import data.obsgate.lib.params

metadata := {
	"id": "COR-004",
	"title": "Logs and spans carry the model name and version",
	"severity": "error",
	"description": concat(" ", [
		"Every model key (default `model_name` and `model_version`) must be among the declared",
		"`logs.fields` when the manifest declares logs, and among the `traces.attributes` when it",
		"declares traces: without them a log line or span cannot be tied to the model build that",
		"served it (structured inference logging practice; OpenTelemetry GenAI `gen_ai.request.model`).",
	]),
	"remediation": concat(" ", [
		"Add the model name and version to every inference log line and as attributes of the",
		"inference spans, and list them in `logs.fields` and `traces.attributes`; change the keys",
		"with the tier's `COR-004: { model_keys: […] }` parameter in .obsgate.yaml.",
	]),
	"docs": "docs/rules/COR-004.md",
	"waivable": true,
	"family": "COR",
}

model_keys := [k | some k in params.get("cor_004", "model_keys", ["model_name", "model_version"]); is_string(k)]

missing(declared) := [k | some k in model_keys; not k in {x | some x in declared}]

findings contains f if {
	input.model != null
	is_object(input.logs)
	keys := missing(input.logs.fields)
	count(keys) > 0
	f := {
		"rule": "COR-004",
		"message": sprintf("logs.fields lacks %s, so a log line cannot be tied to the model build that wrote it; log %s in every inference log line and declare %s", [concat(", ", keys), them(keys), them(keys)]),
		"pointer": "/logs/fields",
	}
}

findings contains f if {
	input.model != null
	is_object(input.traces)
	keys := missing(input.traces.attributes)
	count(keys) > 0
	f := {
		"rule": "COR-004",
		"message": sprintf("traces.attributes lacks %s, so a span cannot be tied to the model build that served it; set %s on every inference span and declare %s", [concat(", ", keys), them(keys), them(keys)]),
		"pointer": "/traces/attributes",
	}
}

them(keys) := "it" if {
	count(keys) == 1
} else := "them"
