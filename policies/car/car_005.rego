# CAR-005: the scrape jobs that collect the model's metrics cap what one scrape may bring: a release
# that adds an unbounded label (a request id, a prompt) is then refused at the scrape, with an
# alertable `up == 0`, instead of flooding Prometheus with series.
package obsgate.rules.car_005

metadata := {
	"id": "CAR-005",
	"title": "Scrape jobs limit samples and labels",
	"severity": "info",
	"description": concat(" ", [
		"Every scrape job obsgate finds for the model (a Prometheus config's job named after the",
		"model or its service, or an endpoint of its ServiceMonitor or PodMonitor) has a",
		"`sample_limit` and a `label_limit` in force: its own, the config's `global` one, a",
		"monitor's `spec.sampleLimit` / `spec.labelLimit` or the Prometheus resource's",
		"(`spec.sampleLimit`, `enforcedSampleLimit`, …). 0 means no limit. Prometheus",
		"configuration: a scrape over the limit fails as a whole.",
	]),
	"remediation": concat(" ", [
		"Set `sample_limit` and `label_limit` on the job (or in `global`), or `spec.sampleLimit` and",
		"`spec.labelLimit` on the monitor (or `enforcedSampleLimit` / `enforcedLabelLimit` on the",
		"Prometheus resource), a margin above the series the model's metrics declare.",
	]),
	"docs": "docs/rules/CAR-005.md",
	"waivable": true,
	"family": "CAR",
}

limits := [
	{"key": "sampleLimit", "config": "sample_limit", "operator": "sampleLimit", "enforced": "enforcedSampleLimit", "what": "samples per scrape"},
	{"key": "labelLimit", "config": "label_limit", "operator": "labelLimit", "enforced": "enforcedLabelLimit", "what": "labels per series"},
]

findings contains f if {
	some k, job in input.scrape.jobs
	some limit in limits
	job[limit.key] == null
	f := {
		"rule": "CAR-005",
		"message": message(job, limit),
		"pointer": sprintf("/scrape/jobs/%d/%s", [k, limit.key]),
	}
}

message(job, limit) := sprintf("scrape job %s in %s sets no %s (nor does global.%s), so nothing caps the %s a release of the model may add; set %s", [job.name, job.file, limit.config, limit.config, limit.what, limit.config]) if {
	job.source == "prometheus-config"
} else := sprintf("%s %s in %s sets no spec.%s, and no Prometheus resource the manifest names enforces one (%s), so nothing caps the %s a release of the model may add; set spec.%s", [kind(job), monitor(job), job.file, limit.operator, limit.enforced, limit.what, limit.operator])

kind(job) := "ServiceMonitor" if job.source == "service-monitor"

kind(job) := "PodMonitor" if job.source == "pod-monitor"

# "serviceMonitor/fraud/fraud-api/0" -> "fraud/fraud-api": one finding per monitor, not per endpoint.
monitor(job) := concat("/", array.slice(parts, 1, count(parts) - 1)) if parts := split(job.name, "/")
