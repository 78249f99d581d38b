package obsgate.rules.cor_001_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.cor_001

propagating(propagators) := fx.example_with({"traces": fx.replaced(fx.example_traces, {"propagators": propagators})})

test_the_example_passes if {
	count(cor_001.findings) == 0 with input as fx.example
}

test_tracecontext_among_others_passes if {
	count(cor_001.findings) == 0 with input as propagating(["b3", "tracecontext"])
	count(cor_001.findings) == 0 with input as propagating(["TraceContext"])
}

test_no_traces_section if {
	cor_001.findings == {{
		"rule": "COR-001",
		"message": "the manifest declares no trace context propagation (no traces section); declare traces.propagators with tracecontext",
		"pointer": "/traces",
	}} with input as fx.example_with({"traces": null})
}

test_other_propagators_only if {
	cor_001.findings == {{
		"rule": "COR-001",
		"message": "traces.propagators (b3, jaeger) lacks W3C tracecontext, so the model's spans do not join its callers' traces; add tracecontext",
		"pointer": "/traces/propagators",
	}} with input as propagating(["b3", "jaeger"])
}

test_no_propagators if {
	cor_001.findings == {{
		"rule": "COR-001",
		"message": "traces.propagators is empty: it lacks W3C tracecontext, so the model's spans do not join its callers' traces; add tracecontext",
		"pointer": "/traces/propagators",
	}} with input as propagating([])
}

test_not_checked_without_a_model if {
	count(cor_001.findings) == 0 with input as fx.unowned([], [])
}
