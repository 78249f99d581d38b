# RET-002: Prometheus keeps metrics at least as long as the longest SLO window, or the SLO's error
# budget over its window cannot be computed.
package obsgate.rules.ret_002

import data.obsgate.lib.fmt
import data.obsgate.lib.retention

metadata := {
	"id": "RET-002",
	"title": "Metrics are kept at least as long as the longest SLO window",
	"severity": "error",
	"description": concat(" ", [
		"The metrics retention that the Prometheus config actually enforces (its flags, config file",
		"or Operator spec, or the default when none is set) must be at least the longest SLO",
		"window of the model: an SLO over 30 days needs 30 days of samples for its error budget and",
		"its slowest burn-rate alerts (derived from the SLO windows).",
	]),
	"remediation": concat(" ", [
		"Raise the retention where the finding says it is set (e.g. `--storage.tsdb.retention.time=30d`",
		"or the Operator's `spec.retention: 30d`) to at least the longest SLO window, or keep",
		"long-term metrics in Thanos or Mimir and point the manifest at that backend.",
	]),
	"docs": "docs/rules/RET-002.md",
	"waivable": true,
	"family": "RET",
}

windows := [w | some slo in input.slos; w := slo.windowSeconds; is_number(w)]

findings contains f if {
	input.model != null
	eff := input.retention.effective.metrics
	is_object(eff)
	is_number(eff.seconds)
	count(windows) > 0
	longest := max(windows)
	eff.seconds < longest
	f := {
		"rule": "RET-002",
		"message": sprintf("metrics are kept %s, shorter than the longest SLO window of %s, so the error budget cannot be computed; set %s to at least %s", [fmt.duration(eff.seconds), fmt.duration(longest), retention.where(eff), fmt.duration(longest)]),
		"pointer": "/retention/effective/metrics",
	}
}
