package obsgate.rules.cor_007_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.cor_007

payloads(inputs, outputs, redaction, retention) := {"inputs": inputs, "outputs": outputs, "redaction": redaction, "retentionSeconds": retention}

with_fields(fields, attributes, logging) := fx.replaced(fx.example, {
	"logs": fx.replaced(fx.example_logs, {"fields": fields}),
	"traces": fx.replaced(fx.example_traces, {"attributes": attributes}),
	"payloadLogging": logging,
})

test_the_example_passes if {
	count(cor_007.findings) == 0 with input as fx.example
	count(cor_007.findings) == 0 with input as fx.unowned([], [])
}

test_declared_payload_logging_with_redaction_and_retention_passes if {
	count(cor_007.findings) == 0 with input as with_fields(["prompt", "completion"], ["gen_ai.input.messages"], payloads(true, true, "mask", 604800))
}

test_declared_payload_logging_without_redaction if {
	cor_007.findings == {{
		"rule": "COR-007",
		"message": "payloadLogging logs model inputs and outputs, but payloadLogging declares no redaction; payloads may hold personal data: declare payloadLogging.redaction (mask, hash, drop or tokenize)",
		"pointer": "/payloadLogging",
	}} with input as with_fields(["request_id"], [], payloads(true, true, null, 604800))
}

test_prompt_fields_without_a_payload_logging_section if {
	cor_007.findings == {{
		"rule": "COR-007",
		"message": "logs.fields includes prompt and completion and traces.attributes includes gen_ai.input.messages, but the manifest has no payloadLogging section; payloads may hold personal data: declare payloadLogging.redaction (mask, hash, drop or tokenize) and payloadLogging.retention (how long payloads are kept, e.g. 7d)",
		"pointer": "/logs/fields/1",
	}} with input as with_fields(["request_id", "prompt", "completion"], ["model_name", "gen_ai.input.messages"], null)
}

test_content_attributes_alone_point_at_the_attribute if {
	cor_007.findings == {{
		"rule": "COR-007",
		"message": "traces.attributes includes gen_ai.output.messages, but the manifest has no payloadLogging section; payloads may hold personal data: declare payloadLogging.redaction (mask, hash, drop or tokenize) and payloadLogging.retention (how long payloads are kept, e.g. 7d)",
		"pointer": "/traces/attributes/1",
	}} with input as with_fields(["request_id"], ["model_name", "gen_ai.output.messages"], null)
}

test_a_section_that_logs_nothing_still_needs_both_when_fields_record_payloads if {
	{f.message | some f in cor_007.findings} == {"logs.fields includes model_input, but payloadLogging declares no redaction and no retention; payloads may hold personal data: declare payloadLogging.redaction (mask, hash, drop or tokenize) and payloadLogging.retention (how long payloads are kept, e.g. 7d)"} with input as with_fields(["model_input"], [], payloads(false, false, null, null))
}

test_names_that_only_mention_payloads_are_not_payloads if {
	count(cor_007.findings) == 0 with input as with_fields(["input_tokens", "output_bytes", "prompt_id"], ["gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens"], null)
	count(cor_007.findings) == 0 with input as with_fields(["request_id"], [], payloads(false, false, null, null))
}
