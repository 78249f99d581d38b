package obsgate.lib.scrape_test

import data.obsgate.lib.scrape

known := {"scrape": {
	"intervalSeconds": 30,
	"intervalSetting": "global.scrape_interval",
	"intervalIsDefault": false,
	"intervalFile": "platform/prometheus.yml",
	"jobs": [],
}}

test_the_interval_the_configs_set if {
	scrape.interval("alr_007") == 30 with input as known
	scrape.describe("alr_007") == "30s, global.scrape_interval in platform/prometheus.yml" with input as known
}

test_the_default_without_a_config if {
	scrape.interval("alr_007") == 60 with input as {"scrape": null, "params": {}}
	scrape.describe("alr_007") == "1m, the default: no Prometheus config the manifest names sets it" with input as {"scrape": null}
}

test_the_default_when_the_configs_do_not_say if {
	unknown := {"scrape": object.union(known.scrape, {"intervalSeconds": null, "intervalSetting": null, "intervalFile": null})}
	scrape.interval("alr_010") == 60 with input as unknown
}

test_the_default_is_a_parameter if {
	inp := {"scrape": null, "params": {"alr_007": {"default_scrape_interval_seconds": 15}}}
	scrape.interval("alr_007") == 15 with input as inp
	scrape.describe("alr_007") == "15s, the default: no Prometheus config the manifest names sets it" with input as inp
}
