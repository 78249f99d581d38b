# The scrape interval the ALR checks measure `for:` and rate() windows against: the one the
# Prometheus configs the manifest names set for the model's metrics (ModelInput
# scrape.intervalSeconds), else the rule's `default_scrape_interval_seconds` parameter (1m, the
# Prometheus default), as pint does without a Prometheus server to ask.
package obsgate.lib.scrape

import data.obsgate.lib.fmt
import data.obsgate.lib.params

_known := s if {
	s := input.scrape.intervalSeconds
	is_number(s)
	s > 0
}

# interval("alr_007") -> 30
interval(rule_key) := s if {
	s := _known
} else := params.get(rule_key, "default_scrape_interval_seconds", 60)

# How a message names the interval and where it comes from:
# "30s, global.scrape_interval in platform/prometheus.yml", or "1m, the default: …".
describe(rule_key) := sprintf("%s, %s in %s", [fmt.duration(_known), input.scrape.intervalSetting, input.scrape.intervalFile]) if {
	is_string(input.scrape.intervalSetting)
	is_string(input.scrape.intervalFile)
} else := sprintf("%s, the default: no Prometheus config the manifest names sets it", [fmt.duration(interval(rule_key))])
