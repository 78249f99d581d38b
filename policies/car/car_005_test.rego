package obsgate.rules.car_005_test

import data.obsgate.rules.car_005

import data.obsgate.lib.fixtures_test as fx

job(name, source, file, sample, label) := {
	"name": name,
	"source": source,
	"file": file,
	"intervalSeconds": 30,
	"sampleLimit": sample,
	"labelLimit": label,
	"labelValueLengthLimit": null,
}

scraped_by(jobs) := fx.example_with({"scrape": {
	"intervalSeconds": 30,
	"intervalSetting": "global.scrape_interval",
	"intervalIsDefault": false,
	"intervalFile": "platform/prometheus.yml",
	"jobs": jobs,
}})

test_the_example_passes if {
	count(car_005.findings) == 0 with input as fx.example
}

test_both_limits_set_passes if {
	count(car_005.findings) == 0 with input as scraped_by([job("fraud-api", "prometheus-config", "platform/prometheus.yml", 20000, 30)])
}

test_a_job_without_limits if {
	car_005.findings == {
		{
			"rule": "CAR-005",
			"message": "scrape job fraud-api in platform/prometheus.yml sets no sample_limit (nor does global.sample_limit), so nothing caps the samples per scrape a release of the model may add; set sample_limit",
			"pointer": "/scrape/jobs/0/sampleLimit",
		},
		{
			"rule": "CAR-005",
			"message": "scrape job fraud-api in platform/prometheus.yml sets no label_limit (nor does global.label_limit), so nothing caps the labels per series a release of the model may add; set label_limit",
			"pointer": "/scrape/jobs/0/labelLimit",
		},
	} with input as scraped_by([job("fraud-api", "prometheus-config", "platform/prometheus.yml", null, null)])
}

test_a_monitor_is_reported_once_for_all_its_endpoints if {
	jobs := [
		job("serviceMonitor/fraud/fraud-api/0", "service-monitor", "deploy/servicemonitor.yaml", 20000, null),
		job("serviceMonitor/fraud/fraud-api/1", "service-monitor", "deploy/servicemonitor.yaml", 20000, null),
	]
	{f.message | some f in car_005.findings} == {"ServiceMonitor fraud/fraud-api in deploy/servicemonitor.yaml sets no spec.labelLimit, and no Prometheus resource the manifest names enforces one (enforcedLabelLimit), so nothing caps the labels per series a release of the model may add; set spec.labelLimit"} with input as scraped_by(jobs)
}

test_a_pod_monitor if {
	[f] := [f | some f in car_005.findings] with input as scraped_by([job("podMonitor/growth/churn/0", "pod-monitor", "deploy/podmonitor.yaml", null, 40)])
	startswith(f.message, "PodMonitor growth/churn in deploy/podmonitor.yaml sets no spec.sampleLimit")
}

test_nothing_without_scrape_settings if {
	count(car_005.findings) == 0 with input as fx.example_with({"scrape": null})
	count(car_005.findings) == 0 with input as fx.unowned([], [])
}
