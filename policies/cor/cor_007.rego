# COR-007: a model that logs its inputs or outputs (prompts, features, completions, predictions)
# declares how personal data is redacted from them and how long they are kept, apart from the
# other logs.
package obsgate.rules.cor_007

metadata := {
	"id": "COR-007",
	"title": "Logged model inputs and outputs declare redaction and retention",
	"severity": "warning",
	"description": concat(" ", [
		"When the manifest says the model's inputs or outputs are logged (`payloadLogging.inputs`",
		"or `outputs`), or its log fields or span attributes record them (`prompt`, `input`,",
		"`output`, `completion`, OpenTelemetry's `gen_ai.input.messages` and",
		"`gen_ai.output.messages`), `payloadLogging` declares a `redaction` and a `retention` of",
		"their own: payloads may hold personal data, which is why OpenTelemetry GenAI",
		"instrumentations record message content only when asked to.",
	]),
	"remediation": concat(" ", [
		"Redact payloads before they are written (mask, hash, drop or tokenize personal data), keep",
		"them in their own stream with a short retention (a Loki `retention_stream`), and declare",
		"both: `payloadLogging: { inputs: true, outputs: true, redaction: mask, retention: 7d }`.",
	]),
	"docs": "docs/rules/COR-007.md",
	"waivable": true,
	"family": "COR",
}

# A field or attribute whose whole name says it records a payload, matched lower-cased:
# `prompt`, `model_input`, `llm.completions`, `gen_ai.input.messages`, not `input_tokens`.
content_pattern := `^(.*[._])?(prompts?|inputs?|outputs?|completions?|system_instructions)([._]messages)?$`

records_content(name) if regex.match(content_pattern, lower(name))

content_fields := [i | some i, x in input.logs.fields; records_content(x)]

content_attributes := [i | some i, x in input.traces.attributes; records_content(x)]

logging := object.get(input, "payloadLogging", null)

declared_sides := [side | some side in ["inputs", "outputs"]; logging[side] == true]

# Where the manifest says, or shows, that payloads are recorded.
sources := array.concat(
	array.concat(
		[sprintf("payloadLogging logs model %s", [and_list(declared_sides)]) | count(declared_sides) > 0],
		[sprintf("logs.fields includes %s", [and_list([input.logs.fields[i] | some i in content_fields])]) | count(content_fields) > 0],
	),
	[sprintf("traces.attributes includes %s", [and_list([input.traces.attributes[i] | some i in content_attributes])]) | count(content_attributes) > 0],
)

# part of payloadLogging -> how to declare it.
fixes := {
	"redaction": "payloadLogging.redaction (mask, hash, drop or tokenize)",
	"retention": "payloadLogging.retention (how long payloads are kept, e.g. 7d)",
}

missing := [part | some part in ["redaction", "retention"]; not declared(part)]

declared("redaction") if is_string(logging.redaction)

declared("retention") if is_number(logging.retentionSeconds)

lacking := "the manifest has no payloadLogging section" if {
	not is_object(logging)
} else := sprintf("payloadLogging declares no %s", [concat(" and no ", missing)])

pointer := "/payloadLogging" if {
	is_object(logging)
} else := sprintf("/logs/fields/%d", [content_fields[0]]) if {
	count(content_fields) > 0
} else := sprintf("/traces/attributes/%d", [content_attributes[0]])

findings contains f if {
	input.model != null
	count(sources) > 0
	count(missing) > 0
	f := {
		"rule": "COR-007",
		"message": sprintf("%s, but %s; payloads may hold personal data: declare %s", [and_list(sources), lacking, and_list([fixes[p] | some p in missing])]),
		"pointer": pointer,
	}
}

# "a", "a and b", "a, b and c".
and_list(xs) := xs[0] if {
	count(xs) == 1
} else := concat(" and ", [concat(", ", array.slice(xs, 0, count(xs) - 1)), xs[count(xs) - 1]])
