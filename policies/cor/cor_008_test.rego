package obsgate.rules.cor_008_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.cor_008

errors_policy := {"name": "errors", "type": "status_code", "statusCodes": ["ERROR"]}

sampler(wait, keeps_errors) := {
	"id": "tail_sampling",
	"file": "platform/otel/sampler.yaml",
	"pipelines": ["traces"],
	"decisionWaitSeconds": wait,
	"decisionWaitIsDefault": false,
	"keepsErrors": keeps_errors,
	"policies": [errors_policy],
}

through(samplers) := fx.example_with({"collector": {
	"files": ["platform/otel/sampler.yaml"],
	"tracesPipelines": ["traces"],
	"tailSampling": samplers,
}})

test_the_example_passes if {
	count(cor_008.findings) == 0 with input as fx.example
}

test_errors_kept_and_a_long_enough_wait_pass if {
	# The example's timeout is 2s.
	count(cor_008.findings) == 0 with input as through([sampler(10, true)])
	count(cor_008.findings) == 0 with input as through([sampler(2, true)])
}

test_error_traces_dropped if {
	cor_008.findings == {{
		"rule": "COR-008",
		"message": "tail sampling processor tail_sampling in platform/otel/sampler.yaml has no policy that keeps every trace with an error, so traces of failed requests are dropped with the rest; add a status_code policy with status_codes: [ERROR]",
		"pointer": "/collector/tailSampling/0/keepsErrors",
	}} with input as through([sampler(10, false)])
}

test_a_decision_before_the_timeout if {
	slow := fx.example_with({"model": object.union(fx.example_model, {"timeoutSeconds": 45})})
	inp := object.union(slow, {"collector": through([object.union(sampler(30, true), {"decisionWaitIsDefault": true})]).collector})
	cor_008.findings == {{
		"rule": "COR-008",
		"message": "tail sampling processor tail_sampling in platform/otel/sampler.yaml decides 30s after a trace's first span (decision_wait unset: default 30s), before a request can time out (45s): spans that end later are not kept with their trace; set decision_wait: 45s or more",
		"pointer": "/collector/tailSampling/0/decisionWaitSeconds",
	}} with input as inp
}

test_a_fractional_timeout_is_rounded_up_in_the_advice if {
	inp := object.union(through([sampler(1, true)]), {"model": object.union(fx.example_model, {"timeoutSeconds": 1.5})})
	[f] := [f | some f in cor_008.findings] with input as inp
	endswith(f.message, "before a request can time out (1.5s): spans that end later are not kept with their trace; set decision_wait: 2s or more")
}

test_no_timeout_no_wait_check if {
	inp := object.union(through([sampler(1, true)]), {"model": object.union(fx.example_model, {"timeoutSeconds": null})})
	count(cor_008.findings) == 0 with input as inp
}

test_declared_tail_sampling_without_a_sampler if {
	cor_008.findings == {{
		"rule": "COR-008",
		"message": "the manifest declares tail sampling, but no traces pipeline of platform/otel/sampler.yaml uses a tail_sampling processor; name the collector that samples the model's traces, or add the processor to its traces pipeline",
		"pointer": "/collector/tracesPipelines",
	}} with input as through([])
	head := object.union(fx.example_traces, {"sampling": {"strategy": "head", "ratio": 0.1}})
	count(cor_008.findings) == 0 with input as object.union(through([]), {"traces": head})
}

test_nothing_without_a_collector if {
	count(cor_008.findings) == 0 with input as fx.example_with({"collector": null})
	count(cor_008.findings) == 0 with input as fx.unowned([], [])
}
