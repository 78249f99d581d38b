package obsgate.rules.car_003_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.car_003

with_stream(stream) := fx.replaced(fx.example, {"logs": fx.replaced(fx.example_logs, {"stream": stream})})

labels(n) := {sprintf("label_%d", [i]): "x" | some i in numbers.range(1, n)}

test_the_example_passes if {
	count(car_003.findings) == 0 with input as fx.example
	count(car_003.findings) == 0 with input as fx.example_with({"logs": null})
	count(car_003.findings) == 0 with input as fx.unowned([], [])
}

test_fifteen_labels_pass_sixteen_do_not if {
	count(car_003.findings) == 0 with input as with_stream(labels(15))
	car_003.findings == {{
		"rule": "CAR-003",
		"message": "logs.stream has 16 labels, above the limit of 15; keep the bounded ones as stream labels and send the rest as structured metadata",
		"pointer": "/logs/stream",
	}} with input as with_stream(labels(16))
}

test_the_limit_is_a_parameter if {
	inp := object.union(with_stream(labels(5)), {"params": {"car_003": {"max_stream_labels": 4}}})
	{f.pointer | some f in car_003.findings} == {"/logs/stream"} with input as inp
}

test_id_labels if {
	car_003.findings == {
		{
			"rule": "CAR-003",
			"message": "stream label trace_id holds trace ids: every distinct value creates a new Loki stream; send it as structured metadata instead",
			"pointer": "/logs/stream/trace_id",
		},
		{
			"rule": "CAR-003",
			"message": "stream label customer_UserId holds user ids: every distinct value creates a new Loki stream; send it as structured metadata instead",
			"pointer": "/logs/stream/customer_UserId",
		},
	} with input as with_stream({"service": "fraud-api", "trace_id": "abc", "customer_UserId": "u1", "valid": "yes"})
}

test_pointer_tokens_are_escaped if {
	{f.pointer | some f in car_003.findings} == {"/logs/stream/a~1b_request_id"} with input as with_stream({"a/b_request_id": "r"})
}
