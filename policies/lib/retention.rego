# How the RET checks describe a retention a backend config enforces (ModelInput
# retention.effective.<signal>): how long, and where it is set. Messages built from these name no
# model, so a finding about a backend config that several models share merges into one.
package obsgate.lib.retention

# "limits_config.retention_period in config/loki.yaml", with " (the backend's default)" appended when
# the config does not set it and this is the backend's documented default.
where(eff) := concat("", [_setting(eff), " in ", _file(eff), _default_note(eff)])

_setting(eff) := eff.setting if {
	is_string(eff.setting)
} else := "its retention setting"

_file(eff) := eff.file if {
	is_string(eff.file)
} else := "the backend config"

_default_note(eff) := " (the backend's default)" if {
	eff.isDefault == true
} else := ""

_backend_names := {
	"prometheus": "Prometheus",
	"prometheus-operator": "Prometheus",
	"loki": "Loki",
	"tempo": "Tempo",
	"mimir": "Mimir",
	"thanos": "Thanos",
}

# The backend as a message names it: "Loki"; "the backend" when it is not one obsgate knows.
backend(eff) := _backend_names[eff.backend] if {
	is_string(eff.backend)
	_backend_names[eff.backend]
} else := "the backend"
