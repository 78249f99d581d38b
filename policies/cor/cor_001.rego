# COR-001: the model propagates W3C Trace Context, so its spans join the trace of the request that
# called it, whichever service or SDK that was.
package obsgate.rules.cor_001

metadata := {
	"id": "COR-001",
	"title": "Traces propagate W3C Trace Context",
	"severity": "error",
	"description": concat(" ", [
		"The manifest's `traces.propagators` must include `tracecontext` (the W3C `traceparent`",
		"and `tracestate` headers), the default of the OpenTelemetry SDKs and the one format every",
		"tracing backend and proxy understands; without it the model's spans start new traces and",
		"an alert cannot be followed to the request that caused it (W3C Trace Context;",
		"OpenTelemetry SDK defaults).",
	]),
	"remediation": concat(" ", [
		"Declare `traces: { propagators: [tracecontext, baggage] }` in the manifest and configure",
		"the model server the same way (`OTEL_PROPAGATORS=tracecontext,baggage`); keep b3 or",
		"jaeger beside it only while callers still send them.",
	]),
	"docs": "docs/rules/COR-001.md",
	"waivable": true,
	"family": "COR",
}

findings contains f if {
	input.model != null
	input.traces == null
	f := {
		"rule": "COR-001",
		"message": "the manifest declares no trace context propagation (no traces section); declare traces.propagators with tracecontext",
		"pointer": "/traces",
	}
}

propagators := [p | some p in input.traces.propagators; is_string(p)]

findings contains f if {
	input.model != null
	is_object(input.traces)
	not "tracecontext" in {lower(p) | some p in propagators}
	f := {
		"rule": "COR-001",
		"message": sprintf("traces.propagators %s W3C tracecontext, so the model's spans do not join its callers' traces; add tracecontext", [declared_text]),
		"pointer": "/traces/propagators",
	}
}

declared_text := sprintf("(%s) lacks", [concat(", ", propagators)]) if {
	count(propagators) > 0
} else := "is empty: it lacks"
