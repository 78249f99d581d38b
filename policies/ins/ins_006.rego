# INS-006: a latency SLO's threshold is a bucket boundary of its SLI histogram (or the histogram
# is native), so the SLI counts requests under the threshold exactly instead of interpolating.
package obsgate.rules.ins_006

import data.obsgate.lib.fmt

metadata := {
	"id": "INS-006",
	"title": "Latency SLO thresholds are histogram bucket boundaries",
	"severity": "error",
	"description": concat(" ", [
		"For an SLO with latency threshold T, the SLI metric must be a histogram with a bucket",
		"boundary at T, or a native histogram: a classic histogram counts requests below T",
		"exactly only at a boundary, anywhere else the SLI is an interpolation (Prometheus",
		"histograms; Pyrra latency SLIs read the le=\"T\" bucket).",
	]),
	"remediation": concat(" ", [
		"Add the SLO threshold to the SLI histogram's `buckets:` (e.g. threshold 0.2 ->",
		"`buckets: [0.05, 0.1, 0.2, 0.5, 1]`), make it a native histogram, or point `sli.metric`",
		"at a declared histogram.",
	]),
	"docs": "docs/rules/INS-006.md",
	"waivable": true,
	"family": "INS",
}

sli_suffixes := ["_bucket", "_count", "_sum"]

# The names an SLI metric may be declared under: as written, and without a series suffix.
candidate_names(name) := {name} | {trim_suffix(name, s) | some s in sli_suffixes; endswith(name, s)}

# Indices of the declared metrics an SLI names, exact matches first.
matches(name) := array.concat(
	[i | some i, m in input.metrics; m.name == name],
	[i | some i, m in input.metrics; m.name != name; m.name in candidate_names(name)],
)

# " (nor x)" when the SLI names a series of histogram x.
also_tried(name) := sprintf(" (nor %s)", [concat(", ", sort(others))]) if {
	others := candidate_names(name) - {name}
	count(others) > 0
} else := ""

histograms(ms) := [i | some i in ms; input.metrics[i].type == "histogram"]

# Equal within a relative tolerance, so 0.1 + 0.2 still matches a 0.3 boundary.
close(a, b) if abs(a - b) <= 1e-9 * max([abs(a), abs(b)])

exact_at(m, _) if m.native == true

exact_at(m, t) if {
	is_array(m.buckets)
	some b in m.buckets
	close(b, t)
}

latency_slos contains [i, slo] if {
	some i, slo in input.slos
	is_number(slo.sli.thresholdSeconds)
}

pointer(i) := sprintf("/slos/%d/sli/thresholdSeconds", [i])

findings contains f if {
	some [i, slo] in latency_slos
	count(matches(slo.sli.metric)) == 0
	t := fmt.num(slo.sli.thresholdSeconds)
	f := {
		"rule": "INS-006",
		"message": sprintf("SLO %s has a latency threshold of %s s, but its SLI metric %s is not declared%s; declare it as a histogram with a bucket at %s", [slo.name, t, slo.sli.metric, also_tried(slo.sli.metric), t]),
		"pointer": pointer(i),
	}
}

findings contains f if {
	some [i, slo] in latency_slos
	ms := matches(slo.sli.metric)
	count(ms) > 0
	count(histograms(ms)) == 0
	m := input.metrics[ms[0]]
	t := fmt.num(slo.sli.thresholdSeconds)
	f := {
		"rule": "INS-006",
		"message": sprintf("SLO %s has a latency threshold of %s s, but its SLI metric %s is a %s, not a histogram; declare it as a histogram with a bucket at %s", [slo.name, t, m.name, m.type, t]),
		"pointer": pointer(i),
	}
}

findings contains f if {
	some [i, slo] in latency_slos
	hs := histograms(matches(slo.sli.metric))
	count(hs) > 0
	not any_exact(hs, slo.sli.thresholdSeconds)
	m := input.metrics[hs[0]]
	t := fmt.num(slo.sli.thresholdSeconds)
	f := {
		"rule": "INS-006",
		"message": sprintf("SLO %s has a latency threshold of %s s, but histogram %s has no bucket boundary at %s (buckets: %s); add %s to its buckets or make it a native histogram", [slo.name, t, m.name, t, buckets_text(m), t]),
		"pointer": pointer(i),
	}
}

any_exact(hs, t) if {
	some i in hs
	exact_at(input.metrics[i], t)
}

buckets_text(m) := fmt.list(m.buckets) if {
	is_array(m.buckets)
	count(m.buckets) > 0
} else := "none declared"
