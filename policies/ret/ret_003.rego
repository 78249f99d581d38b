# RET-003: metrics are kept long enough to be useful (comparing with past weeks, reviewing an
# incident afterwards) and not so long that local storage costs more than it gives.
package obsgate.rules.ret_003

import data.obsgate.lib.fmt
import data.obsgate.lib.params
import data.obsgate.lib.retention

metadata := {
	"id": "RET-003",
	"title": "Metrics retention is within the tier's bounds",
	"severity": "warning",
	"description": concat(" ", [
		"The metrics retention must lie within `[min, max]` for the model's tier (default 15d to",
		"400d): shorter loses the history needed to compare with past weeks or review an incident",
		"afterwards, longer keeps raw samples in Prometheus at a cost long-term storage does better.",
		"The retention checked is the one the Prometheus config enforces; when no Prometheus config",
		"is known, the manifest's declared metrics retention. A size-only retention is not judged.",
	]),
	"remediation": concat(" ", [
		"Set the Prometheus retention the finding names within the bounds, and keep longer history",
		"downsampled in Thanos or Mimir; change the bounds with the tier's",
		"`RET-003: { min: …, max: … }` parameters in .obsgate.yaml.",
	]),
	"docs": "docs/rules/RET-003.md",
	"waivable": true,
	"family": "RET",
}

minimum := params.get("ret_003", "min_seconds", 1296000)

maximum := params.get("ret_003", "max_seconds", 34560000)

effective := e if {
	e := input.retention.effective.metrics
	is_object(e)
}

declared := d if {
	d := input.retention.declared.metricsSeconds
	is_number(d)
}

# "shorter than the minimum of 15d; raise … to at least 15d" for `seconds` below the bounds, and
# the same for above; undefined within them.
out_of_bounds(seconds) := {"what": "shorter than the minimum", "bound": minimum, "fix": "raise", "limit": "at least"} if {
	seconds < minimum
} else := {"what": "longer than the maximum", "bound": maximum, "fix": "lower", "limit": "at most"} if {
	seconds > maximum
}

findings contains f if {
	input.model != null
	is_number(effective.seconds)
	out := out_of_bounds(effective.seconds)
	f := {
		"rule": "RET-003",
		"message": sprintf("metrics are kept %s, %s of %s; %s %s to %s %s", [fmt.duration(effective.seconds), out.what, fmt.duration(out.bound), out.fix, retention.where(effective), out.limit, fmt.duration(out.bound)]),
		"pointer": "/retention/effective/metrics",
	}
}

findings contains f if {
	input.model != null
	not effective
	out := out_of_bounds(declared)
	f := {
		"rule": "RET-003",
		"message": sprintf("the manifest declares metrics kept %s, %s of %s; keep them %s %s and declare it", [fmt.duration(declared), out.what, fmt.duration(out.bound), out.limit, fmt.duration(out.bound)]),
		"pointer": "/retention/declared/metricsSeconds",
	}
}
