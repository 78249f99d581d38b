package obsgate.rules.car_004_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.car_004

with_dimensions(dimensions) := fx.replaced(fx.example, {"traces": fx.replaced(fx.example_traces, {"metricDimensions": dimensions})})

test_low_cardinality_dimensions_pass if {
	count(car_004.findings) == 0 with input as fx.example
	count(car_004.findings) == 0 with input as with_dimensions(["http.route", "http.request.method", "http.response.status_code", "model_name", "server.address"])
	count(car_004.findings) == 0 with input as fx.example_with({"traces": null})
	count(car_004.findings) == 0 with input as fx.unowned([], [])
}

test_a_url_path_dimension if {
	car_004.findings == {{
		"rule": "CAR-004",
		"message": "traces.metricDimensions promotes url.path to a metric label, but it holds URL paths: every distinct value creates a new series; use http.route instead",
		"pointer": "/traces/metricDimensions/1",
	}} with input as with_dimensions(["http.route", "url.path"])
}

test_attributes_without_a_replacement if {
	car_004.findings == {{
		"rule": "CAR-004",
		"message": "traces.metricDimensions promotes client.address to a metric label, but it holds client addresses: every distinct value creates a new series; drop it from the dimensions and keep client.address on the span only",
		"pointer": "/traces/metricDimensions/0",
	}} with input as with_dimensions(["client.address"])
}

test_ids_and_payloads_by_name if {
	{f.message | some f in car_004.findings} == {
		"traces.metricDimensions promotes app.request_id to a metric label, but it holds request ids: every distinct value creates a new series; drop it from the dimensions and keep app.request_id on the span only",
		"traces.metricDimensions promotes session.id to a metric label, but it holds session ids: every distinct value creates a new series; drop it from the dimensions and keep session.id on the span only",
		"traces.metricDimensions promotes gen_ai.input.messages to a metric label, but it holds prompts: every distinct value creates a new series; drop it from the dimensions and keep gen_ai.input.messages on the span only",
	} with input as with_dimensions(["app.request_id", "session.id", "gen_ai.input.messages", "gen_ai.operation.name"])
}
