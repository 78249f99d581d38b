# INS-007: a latency histogram's largest finite bucket reaches the request timeout and every latency
# SLO threshold it measures, so slow requests land in a bucket instead of all in +Inf.
package obsgate.rules.ins_007

import data.obsgate.lib.fmt
import data.obsgate.lib.signals

metadata := {
	"id": "INS-007",
	"title": "Histogram buckets reach the request timeout and SLO thresholds",
	"severity": "warning",
	"description": concat(" ", [
		"The largest finite bucket of a classic latency histogram must be at least the larger of",
		"the declared request timeout (`serving.timeoutSeconds`) and the latency threshold of every",
		"SLO whose SLI is that histogram. Requests slower than the largest bucket all fall into",
		"+Inf, where no quantile can be read: a p99 during an incident reads as the largest bucket",
		"(OpenTelemetry's default HTTP duration buckets reach 10 s for this reason).",
	]),
	"remediation": concat(" ", [
		"Add buckets up to the timeout (e.g. timeout 2 s -> `buckets: [0.05, 0.1, 0.25, 0.5, 1, 2]`)",
		"in the code that creates the histogram and in the manifest, or make it a native histogram.",
	]),
	"docs": "docs/rules/INS-007.md",
	"waivable": true,
	"family": "INS",
}

sli_suffixes := ["_bucket", "_count", "_sum"]

# The names an SLI metric may be declared under: as written, and without a series suffix.
sli_names(name) := {name} | {trim_suffix(name, s) | some s in sli_suffixes; endswith(name, s)}

classic(m) if {
	m.type == "histogram"
	m.native != true
	is_array(m.buckets)
	count(m.buckets) > 0
}

# [i, seconds, what needs them] for each bound metric i must reach.
bounds contains [i, t, sprintf("the request timeout of %s s", [fmt.num(t)])] if {
	t := object.get(input.model, "timeoutSeconds", null)
	is_number(t)
	some i, m in input.metrics
	signals.is_latency(m)
}

bounds contains [i, t, sprintf("SLO %s's threshold of %s s", [slo.name, fmt.num(t)])] if {
	some slo in input.slos
	t := slo.sli.thresholdSeconds
	is_number(t)
	some i, m in input.metrics
	m.name in sli_names(slo.sli.metric)
}

findings contains f if {
	input.model != null
	some i, m in input.metrics
	classic(m)
	largest := max(m.buckets)
	above := sort([[t, why] | some [j, t, why] in bounds; j == i; t > largest])
	count(above) > 0
	needed := above[count(above) - 1][0]
	f := {
		"rule": "INS-007",
		"message": sprintf("histogram %s's largest finite bucket is %s s, below %s: slower requests all fall into +Inf, where no quantile can be read; add buckets up to %s", [m.name, fmt.num(largest), concat(" and ", [b[1] | some b in above]), fmt.num(needed)]),
		"pointer": sprintf("/metrics/%d/buckets", [i]),
	}
}
