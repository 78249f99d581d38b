# INS-009: a model that monitors data drift says how: the metric that carries the score, the method
# that computes it and the threshold above which the model drifts.
package obsgate.rules.ins_009

metadata := {
	"id": "INS-009",
	"title": "Drift monitoring names its metric, method and threshold",
	"severity": "info",
	"description": concat(" ", [
		"A model that monitors drift (a `drift` section, or a metric with `role: drift`) names in",
		"`drift` the declared metric that carries the drift score, its method (psi, ks,",
		"wasserstein, js or chi2) and the threshold above which the model drifts: a score without",
		"its method and threshold cannot be alerted on or compared across models (Evidently's",
		"drift presets pair each method with a default threshold).",
	]),
	"remediation": concat(" ", [
		"Declare `drift: { metric: <declared gauge>, method: psi, threshold: 0.2 }` (the method and",
		"threshold your drift job uses), and declare the metric under `metrics` with `role: drift`.",
	]),
	"docs": "docs/rules/INS-009.md",
	"waivable": true,
	"family": "INS",
}

# part -> what declaring it takes.
parts := {
	"metric": "drift.metric (the declared metric that carries the score)",
	"method": "drift.method (psi, ks, wasserstein, js or chi2)",
	"threshold": "drift.threshold (the score above which the model drifts)",
}

ordered_parts := ["metric", "method", "threshold"]

drift_metrics := [i | some i, m in input.metrics; m.role == "drift"]

missing := [p | some p in ordered_parts; object.get(object.get(input, "drift", null), p, null) == null]

# "a", "a and b", "a, b and c".
and_list(xs) := xs[0] if {
	count(xs) == 1
} else := concat(" and ", [concat(", ", array.slice(xs, 0, count(xs) - 1)), xs[count(xs) - 1]])

findings contains f if {
	input.model != null
	is_object(input.drift)
	count(missing) > 0
	f := {
		"rule": "INS-009",
		"message": sprintf("drift does not name its %s; declare %s", [and_list(missing), and_list([parts[p] | some p in missing])]),
		"pointer": "/drift",
	}
}

findings contains f if {
	input.model != null
	object.get(input, "drift", null) == null
	count(drift_metrics) > 0
	i := drift_metrics[0]
	f := {
		"rule": "INS-009",
		"message": sprintf("metric %s has role: drift, but the manifest has no drift section; declare drift: { metric: %s, method: psi, ks, wasserstein, js or chi2, threshold: <score> }", [input.metrics[i].name, input.metrics[i].name]),
		"pointer": sprintf("/metrics/%d/role", [i]),
	}
}

findings contains f if {
	input.model != null
	name := input.drift.metric
	is_string(name)
	not name in {m.name | some m in input.metrics}
	f := {
		"rule": "INS-009",
		"message": sprintf("drift.metric %s is not a declared metric; declare it under metrics (a gauge with role: drift) or name the metric that carries the drift score", [name]),
		"pointer": "/drift/metric",
	}
}
