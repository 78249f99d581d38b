# CAR-002: every label declares how many values it takes, and the series a metric (and the whole
# model) can produce stay within the tier's limits.
package obsgate.rules.car_002

import data.obsgate.lib.fmt

metadata := {
	"id": "CAR-002",
	"title": "Label value counts are declared and series stay within budget",
	"severity": "error",
	"description": concat(" ", [
		"Every label must declare its bounded value count. A metric's series are the product of its",
		"label counts, times (finite buckets + 3) for a classic histogram (the +Inf bucket, _sum and",
		"_count) or (quantiles + 2) for a summary (_sum and _count). Above `warn` series per metric",
		"is a warning, above `max` an error, and the model's total above `model_budget` an error",
		"(Prometheus instrumentation practices: keep cardinality bounded).",
	]),
	"remediation": concat(" ", [
		"Declare every label's value count (e.g. `labels: { model: 1, region: 12 }`). To cut series,",
		"drop or coarsen the label with the most values (e.g. region -> continent), use fewer",
		"buckets, or move per-request detail to logs and traces; raise the tier's `CAR-002`",
		"parameters (`warn`, `max`, `model_budget`) in .obsgate.yaml only when the backend is sized for it.",
	]),
	"docs": "docs/rules/CAR-002.md",
	"waivable": true,
	"family": "CAR",
}

params := p if {
	p := input.params.car_002
	is_object(p)
} else := {}

param(key, default_value) := v if {
	v := params[key]
	is_number(v)
} else := default_value

warn := param("warn", 1000)

max_series := param("max", 10000)

model_budget := param("model_budget", 50000)

declared(l) if is_number(l.values)

fully_declared(m) if count([l | some l in m.labels; not declared(l)]) == 0

classic_histogram(m) if {
	m.type == "histogram"
	not m.native == true
}

list_of(xs) := xs if {
	is_array(xs)
} else := []

# Series per label set: 1, or the extra series of a classic histogram or a summary.
factor(m) := count(list_of(m.buckets)) + 3 if classic_histogram(m)

factor(m) := count(list_of(m.quantiles)) + 2 if m.type == "summary"

factor(m) := 1 if {
	not classic_histogram(m)
	m.type != "summary"
}

series(m) := product([l.values | some l in m.labels]) * factor(m)

plural(n, word) := sprintf("%s %s", [fmt.num(n), word]) if {
	n == 1
} else := sprintf("%s %ss", [fmt.num(n), word])

factor_text(m) := sprintf(" × (%s + 3)", [plural(count(list_of(m.buckets)), "bucket")]) if classic_histogram(m)

factor_text(m) := sprintf(" × (%s + 2)", [plural(count(list_of(m.quantiles)), "quantile")]) if m.type == "summary"

factor_text(m) := "" if {
	not classic_histogram(m)
	m.type != "summary"
}

labels_text(m) := concat(" × ", [sprintf("%s %s", [l.name, fmt.num(l.values)]) | some l in m.labels]) if {
	count(m.labels) > 0
} else := "1"

# How the count comes about, e.g. "model 1 × region 12 × (8 buckets + 3)".
breakdown(m) := concat("", [labels_text(m), factor_text(m)])

# The node that drives the count: the labels, or the buckets/quantiles of a metric without labels.
series_pointer(i, m) := sprintf("/metrics/%d/labels", [i]) if {
	count(m.labels) > 0
} else := sprintf("/metrics/%d/buckets", [i]) if {
	classic_histogram(m)
} else := sprintf("/metrics/%d/quantiles", [i]) if {
	m.type == "summary"
} else := sprintf("/metrics/%d/name", [i])

findings contains f if {
	some i, m in input.metrics
	some j, l in m.labels
	not declared(l)
	f := {
		"rule": "CAR-002",
		"severity": "error",
		"message": sprintf("label %s on metric %s declares no bounded value count, so the metric's series cannot be bounded; declare how many values it takes (e.g. %s: 12)", [l.name, m.name, l.name]),
		"pointer": sprintf("/metrics/%d/labels/%d", [i, j]),
	}
}

findings contains f if {
	some i, m in input.metrics
	fully_declared(m)
	n := series(m)
	n > max_series
	f := {
		"rule": "CAR-002",
		"severity": "error",
		"message": sprintf("%s has %s series (%s) — above the maximum of %s per metric", [m.name, fmt.num(n), breakdown(m), fmt.num(max_series)]),
		"pointer": series_pointer(i, m),
	}
}

findings contains f if {
	some i, m in input.metrics
	fully_declared(m)
	n := series(m)
	n > warn
	n <= max_series
	f := {
		"rule": "CAR-002",
		"severity": "warning",
		"message": sprintf("%s has %s series (%s) — above the warning threshold of %s per metric (maximum %s)", [m.name, fmt.num(n), breakdown(m), fmt.num(warn), fmt.num(max_series)]),
		"pointer": series_pointer(i, m),
	}
}

counted := [m | some m in input.metrics; fully_declared(m)]

total := sum([series(m) | some m in counted])

# The three metrics with the most series, largest first.
largest := [sprintf("%s %s", [r[1], fmt.num(0 - r[0])]) | some r in array.slice(sort([[0 - series(m), m.name] | some m in counted]), 0, 3)]

uncounted_note := sprintf("; %s with undeclared label counts not included", [plural(count(input.metrics) - count(counted), "metric")]) if {
	count(input.metrics) > count(counted)
} else := ""

findings contains f if {
	total > model_budget
	f := {
		"rule": "CAR-002",
		"severity": "error",
		"message": sprintf("%s declares %s series across %s — above the model budget of %s (largest: %s)%s", [input.model.name, fmt.num(total), plural(count(counted), "metric"), fmt.num(model_budget), concat(", ", largest), uncounted_note]),
		"pointer": "/metrics",
	}
}
