package obsgate.lib.retention_test

import data.obsgate.lib.fixtures_test as fx
import data.obsgate.lib.retention

test_where_names_the_setting_and_the_file if {
	retention.where(fx.loki_retention(2592000)) == "limits_config.retention_period in config/loki.yaml"
	retention.where(object.union(fx.prometheus_retention(1296000), {"isDefault": true})) == "--storage.tsdb.retention.time in deploy/prometheus.yaml (the backend's default)"
}

test_backend_names if {
	retention.backend(fx.loki_retention(1)) == "Loki"
	retention.backend(object.union(fx.prometheus_retention(1), {"backend": "prometheus-operator"})) == "Prometheus"
	retention.backend(object.union(fx.tempo_retention(1), {"backend": "thanos"})) == "Thanos"
	retention.backend(object.union(fx.tempo_retention(1), {"backend": "jaeger"})) == "the backend"
}
