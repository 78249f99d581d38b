# What counts as the request counter, the error signal and the latency metric of a model
# (INS-001; INS-005 reuses the latency definition). A metric's declared `role` decides when the
# manifest gives one; otherwise its name does.
package obsgate.lib.signals

import data.obsgate.lib.frameworks

request_words := ["request", "inference", "predict", "prediction"]

error_words := ["error", "fail"]

latency_words := ["latency", "duration"]

# Labels on the request counter that make it an error signal too.
# (`http_response_code` is BentoML's, `error_type` the OpenTelemetry semantic conventions'.)
status_labels := {
	"status", "status_code", "code", "http_status", "http_response_code", "response_code",
	"grpc_code", "outcome", "result", "error", "error_type",
}

name_has(name, words) if {
	some w in words
	contains(lower(name), w)
}

no_role(m) if object.get(m, "role", null) == null

is_request_counter(m) if {
	m.type == "counter"
	m.role == "requests"
}

is_request_counter(m) if {
	m.type == "counter"
	no_role(m)
	name_has(m.name, request_words)
	not name_has(m.name, error_words)
}

# A framework-native request counter; a declared histogram also provides its own `_count`.
is_request_counter(m) if frameworks.is_native_signal("requests", m.name)

is_request_counter(m) if {
	m.type == "histogram"
	frameworks.is_native_signal("requests", concat("", [m.name, "_count"]))
}

is_error_counter(m) if {
	m.type == "counter"
	m.role == "errors"
}

is_error_counter(m) if {
	m.type == "counter"
	no_role(m)
	name_has(m.name, error_words)
}

is_error_counter(m) if frameworks.is_native_signal("errors", m.name)

# The request counter's labels that mark a failed request.
status_label_names(m) := {l.name | some l in m.labels; lower(l.name) in status_labels}

latency_types := {"histogram", "summary"}

is_latency(m) if {
	m.type in latency_types
	m.role == "latency"
}

is_latency(m) if {
	m.type in latency_types
	no_role(m)
	name_has(m.name, latency_words)
}

# Framework-native latency metrics count whatever their type (Triton's is a µs counter).
is_latency(m) if frameworks.is_native_signal("latency", m.name)
