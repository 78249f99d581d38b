package obsgate.rules.cor_006_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.cor_006

with_fields(fields) := fx.replaced(fx.example, {"logs": fx.replaced(fx.example_logs, {"fields": fields})})

test_the_example_passes if {
	count(cor_006.findings) == 0 with input as fx.example
}

test_logs_without_a_request_id if {
	cor_006.findings == {{
		"rule": "COR-006",
		"message": "logs.fields has no request_id, so the log lines of one request cannot be found again; log the request id in every inference log line and declare request_id",
		"pointer": "/logs/fields",
	}} with input as with_fields(["timestamp", "trace_id", "model_name"])
}

test_the_field_is_a_parameter if {
	inp := object.union(with_fields(["timestamp", "http.request.id"]), {"params": {"cor_006": {"request_id_field": "http.request.id"}}})
	count(cor_006.findings) == 0 with input as inp
	{f.pointer | some f in cor_006.findings} == {"/logs/fields"} with input as object.union(fx.example, {"params": {"cor_006": {"request_id_field": "http.request.id"}}})
}

test_models_without_logs_are_not_checked if {
	count(cor_006.findings) == 0 with input as fx.example_with({"logs": null})
	count(cor_006.findings) == 0 with input as fx.unowned([], [])
}
