# INS-008: a generative model declares the OpenTelemetry GenAI metrics, as Prometheus stores them,
# with the operation and model labels, so its latency and token use can be read like any other
# model's, per operation and per model.
package obsgate.rules.ins_008

metadata := {
	"id": "INS-008",
	"title": "Generative models declare the OpenTelemetry GenAI metrics",
	"severity": "warning",
	"description": concat(" ", [
		"A model with `model.type: generative` declares the OpenTelemetry GenAI semantic-convention",
		"metrics as exported to Prometheus: `gen_ai_server_request_duration_seconds`",
		"(gen_ai.server.request.duration) and `gen_ai_client_token_usage` (gen_ai.client.token.usage),",
		"and every GenAI metric it declares carries the `gen_ai_operation_name` and",
		"`gen_ai_request_model` labels (gen_ai.operation.name, gen_ai.request.model). The",
		"conventions' status is development.",
	]),
	"remediation": concat(" ", [
		"Instrument the model server with OpenTelemetry GenAI instrumentation (or record the",
		"metrics yourself), export them to Prometheus, and declare them as histograms with the",
		"labels `gen_ai_operation_name` and `gen_ai_request_model`.",
	]),
	"docs": "docs/rules/INS-008.md",
	"waivable": true,
	"family": "INS",
}

# Prometheus name -> OpenTelemetry name of the metrics a generative model must declare.
required_metrics := {
	"gen_ai_server_request_duration_seconds": "gen_ai.server.request.duration",
	"gen_ai_client_token_usage": "gen_ai.client.token.usage",
}

# Every GenAI metric whose labels are checked when declared.
genai_metrics := object.union(required_metrics, {
	"gen_ai_server_time_to_first_token_seconds": "gen_ai.server.time_to_first_token",
	"gen_ai_server_time_per_output_token_seconds": "gen_ai.server.time_per_output_token",
	"gen_ai_client_operation_duration_seconds": "gen_ai.client.operation.duration",
})

# Prometheus label -> OpenTelemetry attribute.
required_labels := {
	"gen_ai_operation_name": "gen_ai.operation.name",
	"gen_ai_request_model": "gen_ai.request.model",
}

label_list := concat(" and ", sort(object.keys(required_labels)))

generative if input.model.type == "generative"

declared := {m.name | some m in input.metrics}

findings contains f if {
	generative
	some name, otel_name in required_metrics
	not name in declared
	f := {
		"rule": "INS-008",
		"message": sprintf("generative model %s does not declare %s (OpenTelemetry %s as Prometheus stores it); export it and declare it as a histogram with labels %s", [input.model.name, name, otel_name, label_list]),
		"pointer": "/metrics",
		"key": name,
	}
}

findings contains f if {
	generative
	some i, m in input.metrics
	genai_metrics[m.name]
	labels := {l.name | some l in m.labels}
	missing := sort([l | some l, _ in required_labels; not l in labels])
	count(missing) > 0
	f := {
		"rule": "INS-008",
		"message": sprintf("%s lacks %s (OpenTelemetry %s), so it cannot be read per operation and per model; keep the label%s when exporting and declare %s", [m.name, concat(", ", missing), concat(", ", [required_labels[l] | some l in missing]), plural(missing), them(missing)]),
		"pointer": sprintf("/metrics/%d/labels", [i]),
	}
}

plural(xs) := "s" if {
	count(xs) > 1
} else := ""

them(xs) := "them" if {
	count(xs) > 1
} else := "it"
