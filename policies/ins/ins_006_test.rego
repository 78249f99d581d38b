package obsgate.rules.ins_006_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.ins_006

with_slo(metrics, slo) := fx.model_input_with(metrics, {"slos": [slo]})

latency_with(buckets) := fx.histogram("fraud_inference_latency_seconds", [], buckets)

p95(threshold) := fx.latency_slo("latency-p95", "fraud_inference_latency_seconds", threshold)

availability := {
	"name": "availability",
	"objective": 0.999,
	"windowSeconds": 2592000,
	"sli": {"metric": "fraud_inference_requests_total", "thresholdSeconds": null, "errorSelector": "status_code=~\"5..\""},
}

test_the_example_passes if {
	count(ins_006.findings) == 0 with input as fx.model_input_with([fx.requests, fx.latency], {"slos": [p95(0.2), availability]})
}

test_threshold_between_buckets if {
	ins_006.findings == {{
		"rule": "INS-006",
		"message": "SLO latency-p95 has a latency threshold of 0.2 s, but histogram fraud_inference_latency_seconds has no bucket boundary at 0.2 (buckets: 0.1, 0.25); add 0.2 to its buckets or make it a native histogram",
		"pointer": "/slos/1/sli/thresholdSeconds",
	}} with input as fx.model_input_with([fx.requests, latency_with([0.1, 0.25])], {"slos": [availability, p95(0.2)]})
}

test_threshold_on_a_boundary if {
	count(ins_006.findings) == 0 with input as with_slo([latency_with([0.1, 0.2])], p95(0.2))
}

test_boundaries_match_within_a_relative_tolerance if {
	count(ins_006.findings) == 0 with input as with_slo([latency_with([0.1, 0.3])], p95(0.30000000000000004))
	count(ins_006.findings) == 1 with input as with_slo([latency_with([0.1, 0.3])], p95(0.3000001))
}

test_a_native_histogram_passes if {
	native := object.union(latency_with(null), {"native": true})
	count(ins_006.findings) == 0 with input as with_slo([native], p95(0.2))
}

test_a_classic_histogram_without_buckets if {
	ins_006.findings == {{
		"rule": "INS-006",
		"message": "SLO latency-p95 has a latency threshold of 0.2 s, but histogram fraud_inference_latency_seconds has no bucket boundary at 0.2 (buckets: none declared); add 0.2 to its buckets or make it a native histogram",
		"pointer": "/slos/0/sli/thresholdSeconds",
	}} with input as with_slo([latency_with(null)], p95(0.2))
}

test_a_series_suffix_on_the_sli_is_stripped if {
	count(ins_006.findings) == 0 with input as with_slo(
		[latency_with([0.1, 0.2])],
		fx.latency_slo("latency-p95", "fraud_inference_latency_seconds_bucket", 0.2),
	)
}

test_an_undeclared_sli_metric if {
	ins_006.findings == {{
		"rule": "INS-006",
		"message": "SLO latency-p95 has a latency threshold of 0.2 s, but its SLI metric fraud_latency_seconds_bucket is not declared (nor fraud_latency_seconds); declare it as a histogram with a bucket at 0.2",
		"pointer": "/slos/0/sli/thresholdSeconds",
	}} with input as with_slo([latency_with([0.2])], fx.latency_slo("latency-p95", "fraud_latency_seconds_bucket", 0.2))
}

test_an_sli_metric_that_is_not_a_histogram if {
	s := fx.summary("fraud_inference_latency_seconds", [], [0.5, 0.95])
	ins_006.findings == {{
		"rule": "INS-006",
		"message": "SLO latency-p95 has a latency threshold of 1 s, but its SLI metric fraud_inference_latency_seconds is a summary, not a histogram; declare it as a histogram with a bucket at 1",
		"pointer": "/slos/0/sli/thresholdSeconds",
	}} with input as with_slo([s], p95(1))
}

test_slos_without_a_threshold_are_not_checked if {
	count(ins_006.findings) == 0 with input as with_slo([fx.requests], availability)
}

test_each_slo_is_checked if {
	inp := fx.model_input_with([latency_with([0.1, 0.5])], {"slos": [p95(0.1), p95(0.2), p95(0.5), p95(2)]})
	{f.pointer | some f in ins_006.findings} == {"/slos/1/sli/thresholdSeconds", "/slos/3/sli/thresholdSeconds"} with input as inp
}
