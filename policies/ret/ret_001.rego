# RET-001: the Prometheus that keeps a model's metrics sets its retention itself. The defaults
# differ by how Prometheus runs (15d for Prometheus, 24h for the Operator) and may change with an
# upgrade, so a retention nobody wrote down is a retention nobody decided.
package obsgate.rules.ret_001

metadata := {
	"id": "RET-001",
	"title": "Prometheus retention is set explicitly",
	"severity": "warning",
	"description": concat(" ", [
		"The Prometheus config that keeps the model's metrics (its `--storage.tsdb.retention.time`",
		"flag, its config file's `storage.tsdb.retention.time` or the Operator's `spec.retention`)",
		"must set the retention, rather than leave it to the default: 15d for Prometheus, 24h for",
		"the Prometheus Operator, and 15d again when the Operator's `spec.retention` is `0`",
		"(Prometheus storage docs; Prometheus Operator API). A size-only retention is explicit.",
	]),
	"remediation": concat(" ", [
		"Set the retention where the finding points (e.g. `--storage.tsdb.retention.time=30d`,",
		"`storage.tsdb.retention.time: 30d` or the Operator's `spec.retention: 30d`) to the",
		"retention the models need: at least their longest SLO window (RET-002).",
	]),
	"docs": "docs/rules/RET-001.md",
	"waivable": true,
	"family": "RET",
}

prometheus_backends := {"prometheus", "prometheus-operator"}

# How the fix is written where the default applies: a flag, the config file, or the Operator spec.
example_setting(eff) := "spec.retention: 30d" if {
	eff.backend == "prometheus-operator"
} else := "--storage.tsdb.retention.time=30d" if {
	startswith(eff.setting, "--")
} else := "storage.tsdb.retention.time: 30d"

findings contains f if {
	input.model != null
	eff := input.retention.effective.metrics
	is_object(eff)
	eff.backend in prometheus_backends
	eff.isDefault == true
	f := {
		"rule": "RET-001",
		"message": sprintf("the metrics retention is left to the default: %s in %s; set it explicitly (such as %s) to what the models need", [eff.setting, eff.file, example_setting(eff)]),
		"pointer": "/retention/effective/metrics",
	}
}
