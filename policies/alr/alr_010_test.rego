package obsgate.rules.alr_010_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.alr_010

selector(metric, range, function) := {"metric": metric, "matchers": [], "rangeSeconds": range, "function": function, "aggregatedInside": false}

reading(name, selectors) := object.union(
	fx.alert(name, "…", object.union(fx.query([fx.above([s.metric | some s in selectors], null, 1)]), {"selectors": selectors})),
	{"forSeconds": 300},
)

with_rule(rule) := fx.example_with({"rules": [rule]})

test_the_example_passes if {
	count(alr_010.findings) == 0 with input as fx.example
}

test_rate_over_five_minutes_passes if {
	ok := reading("FraudErrors", [selector("fraud_inference_requests_total", 300, "rate")])
	count(alr_010.findings) == 0 with input as with_rule(ok)

	# A histogram's buckets through rate(), inside histogram_quantile().
	latency := reading("FraudSlow", [selector("fraud_inference_latency_seconds_bucket", 300, "rate")])
	count(alr_010.findings) == 0 with input as with_rule(latency)
}

test_a_raw_counter if {
	raw := reading("FraudErrorsRaw", [selector("fraud_inference_requests_total", null, null)])
	alr_010.findings == {{
		"rule": "ALR-010",
		"message": "alert FraudErrorsRaw reads counter fraud_inference_requests_total directly, without rate(): a counter only grows, and restarts from 0 with the process, so its value says nothing; read it through rate(), irate() or increase(), such as rate(fraud_inference_requests_total[5m])",
		"pointer": "/rules/0/query",
	}} with input as with_rule(raw)
}

test_a_counter_through_another_function if {
	quantile := reading("FraudSlowRaw", [selector("fraud_inference_latency_seconds_bucket", null, "histogram_quantile")])
	[f] := [f | some f in alr_010.findings] with input as with_rule(quantile)
	f.message == "alert FraudSlowRaw reads counter fraud_inference_latency_seconds_bucket through histogram_quantile() without rate(): a counter only grows, and restarts from 0 with the process, so its value says nothing; read it through rate(), irate() or increase(), such as rate(fraud_inference_latency_seconds_bucket[5m])"
}

test_a_window_of_one_scrape if {
	short := reading("FraudErrorsShort", [selector("fraud_inference_requests_total", 60, "rate")])
	alr_010.findings == {{
		"rule": "ALR-010",
		"message": "alert FraudErrorsShort reads counter fraud_inference_requests_total through rate() over 1m, less than twice the scrape interval (1m, the default: no Prometheus config the manifest names sets it): the window may hold a single sample, which has no rate; use [2m] or more",
		"pointer": "/rules/0/query",
	}} with input as with_rule(short)
}

test_the_scrape_interval_of_the_configs if {
	short := reading("FraudErrorsShort", [selector("fraud_inference_requests_total", 60, "irate")])
	scrape := {"intervalSeconds": 15, "intervalSetting": "scrape_configs[fraud-api].scrape_interval", "intervalIsDefault": false, "intervalFile": "platform/prometheus.yml", "jobs": []}
	count(alr_010.findings) == 0 with input as fx.example_with({"rules": [short], "scrape": scrape})
	slow := object.union(scrape, {"intervalSeconds": 60})
	[f] := [f | some f in alr_010.findings] with input as fx.example_with({"rules": [short], "scrape": slow})
	contains(f.message, "(1m, scrape_configs[fraud-api].scrape_interval in platform/prometheus.yml)")
}

test_rate_of_a_sum if {
	s := object.union(selector("fraud_inference_requests_total", null, "rate"), {"aggregatedInside": true})
	alr_010.findings == {{
		"rule": "ALR-010",
		"message": "alert FraudSumRate aggregates counter fraud_inference_requests_total before rate(): a sum of counters drops whenever one series restarts, which rate() reads as a reset of all; write sum(rate(fraud_inference_requests_total[…])) instead",
		"pointer": "/rules/0/query",
	}} with input as with_rule(reading("FraudSumRate", [s]))
}

test_presence_checks_are_allowed if {
	absent := reading("FraudAbsent", [selector("fraud_inference_requests_total", null, "absent")])
	count(alr_010.findings) == 0 with input as with_rule(absent)
}

test_declared_types_decide if {
	# A gauge declared in the manifest is not a counter, whatever its name.
	gauge := fx.metric("fraud_queue_count", "gauge", [])
	raw := reading("FraudQueue", [selector("fraud_queue_count", null, null)])
	count(alr_010.findings) == 0 with input as fx.example_with({"metrics": [gauge], "rules": [raw]})

	# A counter declared without the _total suffix is one.
	counter := fx.metric("fraud_errors", "counter", [])
	raw_errors := reading("FraudErrorsRaw", [selector("fraud_errors", null, null)])
	count(alr_010.findings) == 1 with input as fx.example_with({"metrics": [counter], "rules": [raw_errors]})
}

test_recording_rule_outputs_and_gauges_are_not_counters if {
	recorded := reading("FraudRatio", [selector("fraud:requests:rate5m_total", null, null), selector("up", null, null)])
	count(alr_010.findings) == 0 with input as with_rule(recorded)
}

test_recording_rules_and_unowned_files_are_checked if {
	q := object.union(fx.query([]), {"selectors": [selector("http_requests_total", null, "sum_over_time")]})
	count(alr_010.findings) == 1 with input as fx.example_with({"rules": [fx.record("job:http_requests:raw", "…", q)]})
	count(alr_010.findings) == 1 with input as fx.unowned([fx.alert("Raw", "…", q)], [])
}

test_counting_series_is_allowed if {
	# count(sum(node_cpu_seconds_total) by (instance, cpu)): the number of CPUs, not the counter's value.
	q := object.union(fx.query([]), {
		"selectors": [selector("node_cpu_seconds_total", null, null)],
		"aggregations": [{"op": "count", "by": ["instance"], "without": []}, {"op": "sum", "by": ["instance", "cpu"], "without": []}],
	})
	count(alr_010.findings) == 0 with input as with_rule(fx.record("instance:node_num_cpu:sum", "…", q))
	changes := reading("FraudErrorsChanged", [selector("fraud_inference_requests_total", 300, "changes")])
	count(alr_010.findings) == 0 with input as with_rule(changes)
}
