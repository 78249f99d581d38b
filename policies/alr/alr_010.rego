# ALR-010: counters are read through rate(), irate() or increase(), over a window of at least two
# scrapes, and never aggregated first: a counter's raw value only says how long the process has run,
# a window with one sample has no rate, and rate(sum(…)) takes one series' restart for a reset of all.
package obsgate.rules.alr_010

import data.obsgate.lib.fmt
import data.obsgate.lib.rules
import data.obsgate.lib.scrape

metadata := {
	"id": "ALR-010",
	"title": "Counters are read through rate() over two scrapes",
	"severity": "error",
	"description": concat(" ", [
		"Every counter an alerting or recording rule reads (declared `counter` in the manifest, a",
		"declared histogram's or summary's `_bucket`, `_count` and `_sum`, or, undeclared, named",
		"`*_total`, `*_bucket`, `*_count` or `*_sum`; recording rule names with `:` are not",
		"counters) is read through `rate()`, `irate()` or `increase()` (or only tested for",
		"presence, samples or resets: `absent()`, `absent_over_time()`, `present_over_time()`,",
		"`count_over_time()`, `changes()`, `resets()`, `timestamp()`; or, without a function, in a",
		"rule that counts series with `count`/`group`), with a range of at least twice the scrape",
		"interval (the one the manifest's Prometheus configs set, else",
		"`alr_010.default_scrape_interval_seconds`, 1m),",
		"and never as `rate(sum(…))` (pint promql/counter, promql/rate).",
	]),
	"remediation": concat(" ", [
		"Wrap the counter in rate() with a window of at least two scrapes, such as",
		"`sum by (model) (rate(fraud_inference_requests_total[5m]))`; aggregate after rate(), never",
		"before it.",
	]),
	"docs": "docs/rules/ALR-010.md",
	"waivable": true,
	"family": "ALR",
}

rate_functions := {"rate", "irate", "increase"}

# Functions that test a counter's presence or count its samples or resets, which its raw value serves.
presence_functions := {"absent", "absent_over_time", "present_over_time", "count_over_time", "changes", "resets", "timestamp"}

# Aggregations that count series, for which a counter's value does not matter (`count(node_cpu_seconds_total)`).
counting_aggregations := {"count", "group", "count_values"}

# A rule that counts series: a counter it reads without a function may be what it counts.
counts_series(rule) if {
	some a in rule.query.aggregations
	a.op in counting_aggregations
}

counter_suffixes := ["_total", "_bucket", "_count", "_sum"]

declared(name) := m if {
	some m in input.metrics
	m.name == name
}

# A series of a declared histogram or summary that counts: `_bucket`, `_count`, `_sum`.
histogram_series(name) if {
	some m in input.metrics
	m.type in {"histogram", "summary"}
	some suffix in ["_bucket", "_count", "_sum"]
	name == concat("", [m.name, suffix])
}

is_counter(name) if declared(name).type == "counter"

is_counter(name) if histogram_series(name)

# Undeclared: the naming conventions tell. Recording rules (`level:metric:operations`) are not counters.
is_counter(name) if {
	not declared(name)
	not histogram_series(name)
	not contains(name, ":")
	some suffix in counter_suffixes
	endswith(name, suffix)
}

counter_selectors contains [i, rule, s] if {
	some i, rule in input.rules
	some s in rule.query.selectors
	is_string(s.metric)
	is_counter(s.metric)
}

# A window that holds at least two scrapes, rounded up to a readable one.
suggested_range := max([300, 4 * scrape.interval("alr_010")])

findings contains f if {
	some [i, rule, s] in counter_selectors
	not s.function in rate_functions
	not s.function in presence_functions
	not counted(rule, s)
	f := {
		"rule": "ALR-010",
		"message": sprintf("%s reads counter %s %s: a counter only grows, and restarts from 0 with the process, so its value says nothing; read it through rate(), irate() or increase(), such as rate(%s[%s])", [rules.name(rule), s.metric, how(s), s.metric, fmt.duration(suggested_range)]),
		"pointer": sprintf("/rules/%d/query", [i]),
	}
}

findings contains f if {
	interval := scrape.interval("alr_010")
	some [i, rule, s] in counter_selectors
	s.function in rate_functions
	is_number(s.rangeSeconds)
	s.rangeSeconds < 2 * interval
	f := {
		"rule": "ALR-010",
		"message": sprintf("%s reads counter %s through %s() over %s, less than twice the scrape interval (%s): the window may hold a single sample, which has no rate; use [%s] or more", [rules.name(rule), s.metric, s.function, fmt.duration(s.rangeSeconds), scrape.describe("alr_010"), fmt.duration(2 * interval)]),
		"pointer": sprintf("/rules/%d/query", [i]),
	}
}

findings contains f if {
	some [i, rule, s] in counter_selectors
	s.function in rate_functions
	s.aggregatedInside == true
	f := {
		"rule": "ALR-010",
		"message": sprintf("%s aggregates counter %s before %s(): a sum of counters drops whenever one series restarts, which %s() reads as a reset of all; write sum(%s(%s[…])) instead", [rules.name(rule), s.metric, s.function, s.function, s.function, s.metric]),
		"pointer": sprintf("/rules/%d/query", [i]),
	}
}

counted(rule, s) if {
	s.function == null
	counts_series(rule)
}

how(s) := "directly, without rate()" if {
	s.function == null
} else := sprintf("through %s() without rate()", [s.function])
