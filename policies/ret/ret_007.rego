# RET-007: Tempo keeps a model's traces at least as long as its manifest says they are kept, so
# that a trace linked from an alert, a log line or an audit is still there when someone opens it.
package obsgate.rules.ret_007

import data.obsgate.lib.fmt
import data.obsgate.lib.retention

metadata := {
	"id": "RET-007",
	"title": "Tempo keeps traces as long as the manifest declares",
	"severity": "warning",
	"description": concat(" ", [
		"When the manifest declares a trace retention and names the Tempo config that keeps its",
		"traces, the `block_retention` Tempo applies to the model (the tenant's override, the",
		"overrides' defaults, or `compactor.compaction.block_retention` in 2.x and",
		"`backend_worker.compaction.block_retention` in 3.x, whose default is 336h) must be at",
		"least the declared retention (Tempo configuration).",
	]),
	"remediation": concat(" ", [
		"Raise the `block_retention` the finding names to at least the declared trace retention",
		"(written in hours, such as `720h`, in the compactor or backend worker section), or, when",
		"Tempo is right, lower `retention.traces` in the manifest.",
	]),
	"docs": "docs/rules/RET-007.md",
	"waivable": true,
	"family": "RET",
}

# A duration in hours, which every block_retention setting reads (the compactor's takes no `d`).
hours(seconds) := concat("", [fmt.num(seconds / 3600), "h"])

findings contains f if {
	input.model != null
	declared := input.retention.declared.tracesSeconds
	is_number(declared)
	eff := input.retention.effective.traces
	is_object(eff)
	eff.backend == "tempo"
	is_number(eff.seconds)
	eff.seconds < declared
	f := {
		"rule": "RET-007",
		"message": sprintf("Tempo keeps traces %s, less than the %s the manifest declares: %s; raise it to at least %s", [hours(eff.seconds), hours(declared), retention.where(eff), hours(declared)]),
		"pointer": "/retention/effective/traces",
	}
}
