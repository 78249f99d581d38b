# COR-008: the tail sampling that decides which of the model's traces are kept keeps every trace of
# a failed request, and waits long enough for a slow request's spans before deciding: an incident is
# investigated from exactly those traces.
package obsgate.rules.cor_008

import data.obsgate.lib.fmt

metadata := {
	"id": "COR-008",
	"title": "Tail sampling keeps error traces and waits for the slowest request",
	"severity": "warning",
	"description": concat(" ", [
		"For every `tail_sampling` processor a traces pipeline of the collectors the manifest names",
		"(`backends.collector`) uses: some policy keeps every trace with an error (`status_code`",
		"with `ERROR`, `always_sample`, or an `ottl_condition` on STATUS_CODE_ERROR; policies are",
		"or-ed), and `decision_wait` (default 30s) is at least the model's request timeout",
		"(`serving.timeoutSeconds`), so the spans of a request that runs until it times out arrive",
		"before the decision. A manifest that declares tail sampling must name a collector whose",
		"traces pipelines do it. OpenTelemetry Collector tail sampling processor.",
	]),
	"remediation": concat(" ", [
		"Add a policy `{ name: errors, type: status_code, status_code: { status_codes: [ERROR] } }`",
		"to the processor and set `decision_wait` above the request timeout; if the manifest",
		"declares tail sampling, name the collector that does it in `backends.collector`.",
	]),
	"docs": "docs/rules/COR-008.md",
	"waivable": true,
	"family": "COR",
}

findings contains f if {
	input.model != null
	some i, t in input.collector.tailSampling
	t.keepsErrors != true
	f := {
		"rule": "COR-008",
		"message": sprintf("tail sampling processor %s in %s has no policy that keeps every trace with an error, so traces of failed requests are dropped with the rest; add a status_code policy with status_codes: [ERROR]", [t.id, t.file]),
		"pointer": sprintf("/collector/tailSampling/%d/keepsErrors", [i]),
	}
}

findings contains f if {
	timeout := input.model.timeoutSeconds
	is_number(timeout)
	some i, t in input.collector.tailSampling
	t.decisionWaitSeconds < timeout
	f := {
		"rule": "COR-008",
		"message": sprintf("tail sampling processor %s in %s decides %s after a trace's first span (%s), before a request can time out (%s): spans that end later are not kept with their trace; set decision_wait: %s or more", [t.id, t.file, fmt.duration(t.decisionWaitSeconds), wait_setting(t), fmt.duration(timeout), fmt.duration(ceil(timeout))]),
		"pointer": sprintf("/collector/tailSampling/%d/decisionWaitSeconds", [i]),
	}
}

findings contains f if {
	input.traces.sampling.strategy == "tail"
	count(input.collector.tracesPipelines) > 0
	count(input.collector.tailSampling) == 0
	f := {
		"rule": "COR-008",
		"message": sprintf("the manifest declares tail sampling, but no traces pipeline of %s uses a tail_sampling processor; name the collector that samples the model's traces, or add the processor to its traces pipeline", [concat(", ", input.collector.files)]),
		"pointer": "/collector/tracesPipelines",
	}
}

wait_setting(t) := "decision_wait unset: default 30s" if {
	t.decisionWaitIsDefault == true
} else := sprintf("decision_wait: %s", [fmt.duration(t.decisionWaitSeconds)])
