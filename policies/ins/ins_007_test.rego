package obsgate.rules.ins_007_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.rules.ins_007

latency_up_to(largest) := fx.histogram("fraud_inference_latency_seconds", [], [0.1, 0.5, largest])

with_timeout(metrics, timeout) := fx.model_input_with(metrics, {"model": object.union(fx.model, {"timeoutSeconds": timeout})})

test_the_example_passes if {
	count(ins_007.findings) == 0 with input as fx.healthy
	count(ins_007.findings) == 0 with input as fx.example
}

test_buckets_below_the_timeout if {
	ins_007.findings == {{
		"rule": "INS-007",
		"message": "histogram fraud_inference_latency_seconds's largest finite bucket is 1 s, below the request timeout of 2 s: slower requests all fall into +Inf, where no quantile can be read; add buckets up to 2",
		"pointer": "/metrics/0/buckets",
	}} with input as with_timeout([latency_up_to(1)], 2)
}

test_a_bucket_at_the_timeout_is_enough if {
	count(ins_007.findings) == 0 with input as with_timeout([latency_up_to(2)], 2)
	count(ins_007.findings) == 0 with input as with_timeout([latency_up_to(1)], null)
}

test_buckets_below_an_slo_threshold_and_the_timeout if {
	inp := object.union(with_timeout([latency_up_to(1)], 5), {"slos": [fx.latency_slo("latency-p99", "fraud_inference_latency_seconds_bucket", 1.5)]})
	ins_007.findings == {{
		"rule": "INS-007",
		"message": "histogram fraud_inference_latency_seconds's largest finite bucket is 1 s, below SLO latency-p99's threshold of 1.5 s and the request timeout of 5 s: slower requests all fall into +Inf, where no quantile can be read; add buckets up to 5",
		"pointer": "/metrics/0/buckets",
	}} with input as inp
}

test_an_slo_threshold_applies_to_its_sli_histogram_whatever_its_name if {
	queue := fx.histogram("fraud_queue_wait_seconds", [], [0.01, 0.1])
	inp := object.union(with_timeout([queue], 2), {"slos": [fx.latency_slo("queue", "fraud_queue_wait_seconds", 0.5)]})
	{f.pointer | some f in ins_007.findings} == {"/metrics/0/buckets"} with input as inp
}

test_the_timeout_applies_only_to_latency_histograms if {
	count(ins_007.findings) == 0 with input as with_timeout([fx.histogram("fraud_payload_size_bytes", [], [100, 1000])], 2)
}

test_native_and_bucketless_histograms_are_not_checked if {
	native := object.union(latency_up_to(1), {"native": true, "buckets": null})
	count(ins_007.findings) == 0 with input as with_timeout([native], 2)
	count(ins_007.findings) == 0 with input as with_timeout([fx.histogram("fraud_inference_latency_seconds", [], [])], 2)
}
