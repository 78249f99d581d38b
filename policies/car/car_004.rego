# CAR-004: span attributes that span-to-metrics turns into metric labels are low-cardinality:
# `http.route`, never `url.path`, since every distinct value becomes a new series.
package obsgate.rules.car_004

# The unbounded label names CAR-001 knows, applied to an attribute's dotted name as underscores.
import data.obsgate.rules.car_001

metadata := {
	"id": "CAR-004",
	"title": "Span attributes promoted to metrics are low-cardinality",
	"severity": "warning",
	"description": concat(" ", [
		"Every attribute in `traces.metricDimensions` (the dimensions of the OpenTelemetry",
		"Collector's spanmetrics connector or Tempo's metrics-generator) becomes a metric label, so",
		"it must be low-cardinality: `http.route`, never `url.path` or `url.full`, and no client",
		"addresses, user agents or request, user or session ids (OpenTelemetry HTTP semantic",
		"conventions: `http.route` is the low-cardinality path for metrics).",
	]),
	"remediation": concat(" ", [
		"Replace URL attributes with `http.route` in the connector's or generator's `dimensions`",
		"and in `traces.metricDimensions`; drop the other high-cardinality attributes from the",
		"dimensions and keep them on the spans only.",
	]),
	"docs": "docs/rules/CAR-004.md",
	"waivable": true,
	"family": "CAR",
}

# OpenTelemetry attributes that take a new value with (almost) every request -> [what they hold,
# the low-cardinality attribute to use instead, or "" when there is none].
high_cardinality := {
	"url.full": ["full URLs", "http.route"],
	"url.path": ["URL paths", "http.route"],
	"url.original": ["URLs", "http.route"],
	"url.query": ["query strings", ""],
	"http.url": ["full URLs", "http.route"],
	"http.target": ["request targets", "http.route"],
	"client.address": ["client addresses", ""],
	"client.port": ["client ports", ""],
	"network.peer.address": ["peer addresses", ""],
	"network.peer.port": ["peer ports", ""],
	"user_agent.original": ["user agents", ""],
	"enduser.id": ["user ids", ""],
	"gen_ai.response.id": ["response ids", ""],
	"gen_ai.conversation.id": ["conversation ids", ""],
	"gen_ai.input.messages": ["prompts", ""],
	"gen_ai.output.messages": ["model outputs", ""],
}

# [what the attribute holds, its replacement]; undefined for a bounded-looking attribute.
unbounded(attribute) := high_cardinality[attribute]

unbounded(attribute) := [car_001.kind(replace(attribute, ".", "_")), ""] if not high_cardinality[attribute]

fix(attribute, "") := sprintf("drop it from the dimensions and keep %s on the span only", [attribute])

fix(_, replacement) := sprintf("use %s instead", [replacement]) if replacement != ""

findings contains f if {
	input.model != null
	some i, attribute in input.traces.metricDimensions
	[holds, replacement] := unbounded(attribute)
	f := {
		"rule": "CAR-004",
		"message": sprintf("traces.metricDimensions promotes %s to a metric label, but it holds %s: every distinct value creates a new series; %s", [attribute, holds, fix(attribute, replacement)]),
		"pointer": sprintf("/traces/metricDimensions/%d", [i]),
	}
}
