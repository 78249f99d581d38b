# INS-004: metric names end in a base unit with a plural suffix (_seconds, _bytes, _ratio), so that
# series of one quantity can be compared, summed and read without converting units.
package obsgate.rules.ins_004

import data.obsgate.lib.frameworks

metadata := {
	"id": "INS-004",
	"title": "Metric names use base units with a plural suffix",
	"severity": "warning",
	"description": concat(" ", [
		"Prometheus naming practice: a metric records a base unit and says so with a plural suffix,",
		"`_seconds`, `_bytes` or `_ratio` (a 0-1 fraction), so that series of one quantity can be",
		"compared and summed. A name whose unit (the last word, before `_total` for counters) is",
		"`_ms`, `_milliseconds`, `_us`, `_percent`, `_mb` or another non-base or singular unit is",
		"flagged. Names a serving framework emits itself are exempt when the manifest declares",
		"that framework.",
	]),
	"remediation": concat(" ", [
		"Record the base unit and rename the metric (e.g. `inference_latency_ms` ->",
		"`inference_latency_seconds`, with values divided by 1000; `gpu_util_percent` ->",
		"`gpu_util_ratio`, with values divided by 100); if the name is emitted by your serving",
		"framework, declare `framework:` in the manifest.",
	]),
	"docs": "docs/rules/INS-004.md",
	"waivable": true,
	"family": "INS",
}

# The unit a name ends in -> what it is and the base unit to record instead.
units := {
	"ms": {"unit": "milliseconds", "base": "seconds"},
	"milliseconds": {"unit": "milliseconds", "base": "seconds"},
	"us": {"unit": "microseconds", "base": "seconds"},
	"microseconds": {"unit": "microseconds", "base": "seconds"},
	"ns": {"unit": "nanoseconds", "base": "seconds"},
	"nanoseconds": {"unit": "nanoseconds", "base": "seconds"},
	"minutes": {"unit": "minutes", "base": "seconds"},
	"hours": {"unit": "hours", "base": "seconds"},
	"days": {"unit": "days", "base": "seconds"},
	"second": {"unit": "the singular second", "base": "seconds"},
	"byte": {"unit": "the singular byte", "base": "bytes"},
	"kb": {"unit": "kilobytes", "base": "bytes"},
	"kilobytes": {"unit": "kilobytes", "base": "bytes"},
	"kib": {"unit": "kibibytes", "base": "bytes"},
	"mb": {"unit": "megabytes", "base": "bytes"},
	"megabytes": {"unit": "megabytes", "base": "bytes"},
	"mib": {"unit": "mebibytes", "base": "bytes"},
	"gb": {"unit": "gigabytes", "base": "bytes"},
	"gigabytes": {"unit": "gigabytes", "base": "bytes"},
	"gib": {"unit": "gibibytes", "base": "bytes"},
	"percent": {"unit": "percent", "base": "ratio"},
	"percentage": {"unit": "percent", "base": "ratio"},
	"pct": {"unit": "percent", "base": "ratio"},
}

# How the fix names the base unit.
records := {"seconds": "seconds", "bytes": "bytes", "ratio": "a 0-1 ratio"}

exempt(name) if frameworks.is_native(input.model.framework, name)

# A counter's unit stands before `_total` (process_cpu_seconds_total).
total_suffix(name) := "_total" if {
	endswith(name, "_total")
} else := ""

# The name's words before `_total`, when there are at least two (a unit needs something to measure).
words(name) := ws if {
	ws := split(trim_suffix(name, "_total"), "_")
	count(ws) > 1
}

findings contains f if {
	some i, m in input.metrics
	not exempt(m.name)
	ws := words(m.name)
	u := units[lower(ws[count(ws) - 1])]
	renamed := concat("", [concat("_", array.concat(array.slice(ws, 0, count(ws) - 1), [u.base])), total_suffix(m.name)])
	f := {
		"rule": "INS-004",
		"message": sprintf("metric %s is named in %s; Prometheus names use base units with a plural suffix: record %s and rename it to %s", [m.name, u.unit, records[u.base], renamed]),
		"pointer": sprintf("/metrics/%d/name", [i]),
	}
}
