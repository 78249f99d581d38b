# RET-008: a long-term metrics store (Mimir, a Thanos compactor) has its retention set on purpose,
# and keeps metrics at least as long as the model needs them. Both keep everything by default, which
# nobody budgeted for; and a store that deletes sooner than the metrics retention loses the history
# the SLOs and audits are computed from.
package obsgate.rules.ret_008

import data.obsgate.lib.fmt
import data.obsgate.lib.retention

metadata := {
	"id": "RET-008",
	"title": "Long-term metrics retention is explicit and long enough",
	"severity": "info",
	"description": concat(" ", [
		"When the manifest names a Mimir config (`backends.mimir`) or a Thanos compactor",
		"(`backends.thanos`), each retention setting they read is set explicitly (Mimir's",
		"`compactor_blocks_retention_period`, the model's tenant's override applied; Thanos's",
		"`--retention.resolution-raw`, `-5m` and `-1h`), since both keep metrics forever by default;",
		"and the store keeps metrics, at some resolution, at least as long as the metrics retention",
		"the manifest declares (else the one Prometheus enforces). Mimir and Thanos docs.",
	]),
	"remediation": concat(" ", [
		"Set the retention explicitly: `limits.compactor_blocks_retention_period: 400d` (or the",
		"tenant's override) in Mimir, `--retention.resolution-raw=…`, `--retention.resolution-5m=…`",
		"and `--retention.resolution-1h=…` on thanos compact, the longest at least the metrics",
		"retention (`0d` keeps a resolution forever, on purpose).",
	]),
	"docs": "docs/rules/RET-008.md",
	"waivable": true,
	"family": "RET",
}

findings contains f if {
	input.model != null
	some i, eff in input.retention.longTerm
	eff.isDefault == true
	f := {
		"rule": "RET-008",
		"message": sprintf("%s keeps metrics forever, as nothing sets this retention: %s; set it explicitly, at least as long as the metrics retention", [retention.backend(eff), retention.where(eff)]),
		"pointer": sprintf("/retention/longTerm/%d", [i]),
		"key": eff.setting,
	}
}

# The metrics retention a long-term store must cover: the declared one, else the one Prometheus keeps.
target := {"seconds": s, "what": sprintf("the %s the manifest declares for metrics", [fmt.duration(s)])} if {
	s := input.retention.declared.metricsSeconds
	is_number(s)
} else := {"seconds": s, "what": sprintf("the %s %s keeps them (%s)", [fmt.duration(s), retention.backend(eff), retention.where(eff)])} if {
	eff := input.retention.effective.metrics
	s := eff.seconds
	is_number(s)
}

# One store: a backend and the file that configures it.
stores contains [eff.backend, eff.file] if {
	some eff in input.retention.longTerm
}

findings contains f if {
	input.model != null
	some [backend, file] in stores
	entries := [[i, eff] | some i, eff in input.retention.longTerm; eff.backend == backend; eff.file == file]

	# A store that keeps some resolution forever keeps the metrics long enough.
	every entry in entries {
		is_number(entry[1].seconds)
	}
	longest := max({entry[1].seconds | some entry in entries})
	longest < target.seconds
	i := min({entry[0] | some entry in entries; entry[1].seconds == longest})
	eff := input.retention.longTerm[i]
	f := {
		"rule": "RET-008",
		"message": sprintf("%s keeps metrics %s (%s), less than %s; keep them at least %s", [retention.backend(eff), fmt.duration(longest), retention.where(eff), target.what, fmt.duration(target.seconds)]),
		"pointer": sprintf("/retention/longTerm/%d", [i]),
	}
}
