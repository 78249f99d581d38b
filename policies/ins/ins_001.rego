# INS-001: the model declares the three signals every online model needs: a request counter, an
# error signal and a latency histogram. All three findings point at /metrics; each carries the
# missing signal as its key (requests, errors, latency).
package obsgate.rules.ins_001

import data.obsgate.lib.signals

metadata := {
	"id": "INS-001",
	"title": "Request counter, error signal and latency histogram are declared",
	"severity": "error",
	"description": concat(" ", [
		"The model must declare a request counter, an error signal (a failure counter, or a",
		"status/code label on the request counter) and a latency histogram: the queries, errors",
		"and latency that Prometheus' instrumentation practices require of online serving.",
	]),
	"remediation": concat(" ", [
		"Declare the missing metric: a counter with `role: requests` (e.g. `inference_requests_total`),",
		"a counter with `role: errors` (e.g. `inference_errors_total`) or a `status_code` label on the",
		"request counter, and a histogram with `role: latency` (e.g. `inference_latency_seconds`).",
	]),
	"docs": "docs/rules/INS-001.md",
	"waivable": true,
	"family": "INS",
}

request_counters := [m | some m in input.metrics; signals.is_request_counter(m)]

error_counters := [m | some m in input.metrics; signals.is_error_counter(m)]

latency_metrics := [m | some m in input.metrics; signals.is_latency(m)]

has_error_signal if count(error_counters) > 0

has_error_signal if {
	some m in request_counters
	count(signals.status_label_names(m)) > 0
}

findings contains f if {
	count(request_counters) == 0
	f := {
		"rule": "INS-001",
		"message": sprintf("%s declares no request counter: add a counter with role: requests, or one whose name contains request, inference, predict or prediction (e.g. inference_requests_total)", [input.model.name]),
		"pointer": "/metrics",
		"key": "requests",
	}
}

findings contains f if {
	not has_error_signal
	f := {
		"rule": "INS-001",
		"message": sprintf("%s declares no error signal: add a counter with role: errors (or a name containing error or fail), or a status, status_code, code, http_status, grpc_code, outcome, result or error label on %s", [input.model.name, request_counter_phrase]),
		"pointer": "/metrics",
		"key": "errors",
	}
}

request_counter_phrase := sprintf("the request counter %s", [request_counters[0].name]) if {
	count(request_counters) == 1
} else := sprintf("one of the request counters %s", [concat(", ", [m.name | some m in request_counters])]) if {
	count(request_counters) > 1
} else := "the request counter"

findings contains f if {
	count(latency_metrics) == 0
	f := {
		"rule": "INS-001",
		"message": sprintf("%s declares no latency histogram: add a histogram with role: latency, or one whose name contains latency or duration (e.g. inference_latency_seconds)", [input.model.name]),
		"pointer": "/metrics",
		"key": "latency",
	}
}
