# INS-005: latency is measured with a histogram, not a summary.
package obsgate.rules.ins_005

import data.obsgate.lib.fmt
import data.obsgate.lib.signals

metadata := {
	"id": "INS-005",
	"title": "Latency is a histogram, not a summary",
	"severity": "warning",
	"description": concat(" ", [
		"A summary computes its quantiles inside each replica, and quantiles cannot be averaged or",
		"summed across replicas; a histogram's buckets can, so fleet-wide latency percentiles and",
		"latency SLOs need a histogram (Prometheus, histograms and summaries).",
	]),
	"remediation": concat(" ", [
		"Declare the latency metric as `type: histogram` with `buckets:` that include every SLO",
		"threshold (or as a native histogram) and expose it as a histogram from the model server.",
	]),
	"docs": "docs/rules/INS-005.md",
	"waivable": true,
	"family": "INS",
}

findings contains f if {
	some i, m in input.metrics
	m.type == "summary"
	signals.is_latency(m)
	f := {
		"rule": "INS-005",
		"message": sprintf("latency metric %s is a summary%s: its quantiles cannot be aggregated across replicas; declare it as a histogram", [m.name, quantiles_note(m)]),
		"pointer": sprintf("/metrics/%d/type", [i]),
	}
}

quantiles_note(m) := sprintf(" (quantiles %s)", [fmt.list(m.quantiles)]) if {
	is_array(m.quantiles)
	count(m.quantiles) > 0
} else := ""
