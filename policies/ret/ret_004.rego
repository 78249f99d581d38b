# RET-004: Loki deletes logs only when its compactor runs retention: `compactor.retention_enabled`,
# a `delete_request_store`, and a 24h index period. Otherwise every retention period is ignored.
package obsgate.rules.ret_004

import data.obsgate.lib.fmt

metadata := {
	"id": "RET-004",
	"title": "Loki retention is actually enabled",
	"severity": "error",
	"description": concat(" ", [
		"Loki applies `retention_period` and `retention_stream` only when the compactor runs",
		"retention: `compactor.retention_enabled: true`, a `compactor.delete_request_store`, and",
		"an index period of 24h in the schema in force (the last `schema_config.configs` entry).",
		"Without them Loki never deletes logs, whatever the configured periods say (Loki",
		"retention docs).",
	]),
	"remediation": concat(" ", [
		"In the Loki config set `compactor: { retention_enabled: true, delete_request_store: s3 }`",
		"(the object store the index lives in) and give the current schema `index: { period: 24h }`.",
	]),
	"docs": "docs/rules/RET-004.md",
	"waivable": true,
	"family": "RET",
}

loki := l if {
	input.model != null
	l := input.retention.loki
	is_object(l)
}

file := loki.file if {
	is_string(loki.file)
} else := "the Loki config"

findings contains f if {
	loki.retentionEnabled != true
	f := {
		"rule": "RET-004",
		"message": sprintf("compactor.retention_enabled is not true in %s, so Loki never deletes logs; set compactor.retention_enabled: true", [file]),
		"pointer": "/retention/loki/retentionEnabled",
	}
}

findings contains f if {
	store := object.get(loki, "deleteRequestStore", null)
	not non_empty(store)
	f := {
		"rule": "RET-004",
		"message": sprintf("compactor.delete_request_store is not set in %s, so Loki never deletes logs; set it to the object store that holds the index (e.g. s3, gcs, filesystem)", [file]),
		"pointer": "/retention/loki/deleteRequestStore",
	}
}

findings contains f if {
	period := loki.indexPeriodSeconds
	period != 86400
	f := {
		"rule": "RET-004",
		"message": sprintf("the schema in force in %s %s, so Loki never deletes logs; retention needs index: { period: 24h }", [file, period_text(period)]),
		"pointer": "/retention/loki/indexPeriodSeconds",
	}
}

non_empty(s) if {
	is_string(s)
	trim_space(s) != ""
}

period_text(p) := sprintf("has an index period of %s", [fmt.duration(p)]) if {
	is_number(p)
} else := "sets no index period"
