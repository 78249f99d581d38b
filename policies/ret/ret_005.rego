# RET-005: a high-risk model keeps the logs it generates automatically for at least six months
# (EU AI Act, Regulation 2024/1689, Art. 19(1) and 26(6)).
package obsgate.rules.ret_005

import data.obsgate.lib.fmt
import data.obsgate.lib.params
import data.obsgate.lib.retention

metadata := {
	"id": "RET-005",
	"title": "High-risk models keep their logs at least six months",
	"severity": "error",
	"description": concat(" ", [
		"A model whose risk class is `high-risk` must keep its automatically generated logs at",
		"least `min_log_retention_high_risk` (default 184d, six months). The retention checked is",
		"the one the Loki config enforces for the model's tenant and streams (tenant",
		"`retention_stream` > global `retention_stream` > tenant `retention_period` > global",
		"`retention_period`); when no Loki config is known, the manifest's declared log retention",
		"(EU AI Act, Regulation 2024/1689, Art. 19(1) and 26(6)).",
	]),
	"remediation": concat(" ", [
		"Raise the Loki retention that applies to the model's logs (its tenant's `retention_period`",
		"or a `retention_stream` matching its stream) to at least 184d, and declare",
		"`retention.logs: 184d` in the manifest; change the minimum with the tier's",
		"`RET-005: { min_log_retention_high_risk: …, legal_basis: … }` in .obsgate.yaml, only with a documented legal basis.",
	]),
	"docs": "docs/rules/RET-005.md",
	"waivable": true,
	"family": "RET",
}

minimum := params.get("ret_005", "min_log_retention_high_risk_seconds", 15897600)

high_risk if {
	input.model != null
	input.model.riskClass == "high-risk"
}

effective := e if {
	e := input.retention.effective.logs
	is_object(e)
}

declared := d if {
	d := input.retention.declared.logsSeconds
	is_number(d)
}

source := "EU AI Act Art. 19(1), 26(6)"

findings contains f if {
	high_risk
	is_number(effective.seconds)
	effective.seconds < minimum
	f := {
		"rule": "RET-005",
		"message": sprintf("logs are kept %s, less than the %s a high-risk model must keep them (%s); set %s to at least %s", [fmt.duration(effective.seconds), fmt.duration(minimum), source, retention.where(effective), fmt.duration(minimum)]),
		"pointer": "/retention/effective/logs",
	}
}

findings contains f if {
	high_risk
	not effective
	declared < minimum
	f := {
		"rule": "RET-005",
		"message": sprintf("the manifest declares logs kept %s, less than the %s a high-risk model must keep them (%s); keep them at least %s and declare it", [fmt.duration(declared), fmt.duration(minimum), source, fmt.duration(minimum)]),
		"pointer": "/retention/declared/logsSeconds",
	}
}

findings contains f if {
	high_risk
	not effective
	not declared
	f := {
		"rule": "RET-005",
		"message": sprintf("a high-risk model must keep its logs at least %s (%s), but no log retention is declared or configured; declare retention.logs and name the Loki config that enforces it", [fmt.duration(minimum), source]),
		"pointer": "/retention",
	}
}
