# RET-006: logs may hold personal data (user ids, inputs, addresses), and personal data is kept no
# longer than needed (GDPR Art. 5(1)(e), storage limitation). High-risk models are exempt: the EU AI
# Act makes them keep their logs at least six months (RET-005).
package obsgate.rules.ret_006

import data.obsgate.lib.fmt
import data.obsgate.lib.params
import data.obsgate.lib.retention

metadata := {
	"id": "RET-006",
	"title": "Logs are not kept longer than the tier's maximum",
	"severity": "warning",
	"description": concat(" ", [
		"Unless the model is high-risk, its logs must not be kept longer than `max_log_retention`",
		"(default 30d): logs carry personal data, which is kept no longer than needed (GDPR",
		"Art. 5(1)(e), storage limitation). The retention checked is the one the Loki config",
		"enforces for the model's tenant and streams, where a Loki that never deletes counts as too",
		"long; when no Loki config is known, the manifest's declared log retention.",
	]),
	"remediation": concat(" ", [
		"Lower the Loki retention that applies to the model's logs (its tenant's `retention_period`",
		"or a `retention_stream` matching its streams) to at most 30d, with",
		"`compactor.retention_enabled: true`; change the maximum with the tier's",
		"`RET-006: { max_log_retention: … }` parameter in .obsgate.yaml.",
	]),
	"docs": "docs/rules/RET-006.md",
	"waivable": true,
	"family": "RET",
}

maximum := params.get("ret_006", "max_log_retention_seconds", 2592000)

applies if {
	input.model != null
	input.model.riskClass != "high-risk"
}

effective := e if {
	e := input.retention.effective.logs
	is_object(e)
}

declared := d if {
	d := input.retention.declared.logsSeconds
	is_number(d)
}

findings contains f if {
	applies
	is_number(effective.seconds)
	effective.seconds > maximum
	f := {
		"rule": "RET-006",
		"message": sprintf("logs are kept %s, longer than the %s a model that is not high-risk may keep personal data (GDPR storage limitation); set %s to at most %s", [fmt.duration(effective.seconds), fmt.duration(maximum), retention.where(effective), fmt.duration(maximum)]),
		"pointer": "/retention/effective/logs",
	}
}

findings contains f if {
	applies
	effective.seconds == null
	f := {
		"rule": "RET-006",
		"message": sprintf("logs are never deleted: %s; a model that is not high-risk may keep personal data at most %s (GDPR storage limitation), so make %s delete them after at most %s", [retention.where(effective), fmt.duration(maximum), retention.backend(effective), fmt.duration(maximum)]),
		"pointer": "/retention/effective/logs",
	}
}

findings contains f if {
	applies
	not effective
	declared > maximum
	f := {
		"rule": "RET-006",
		"message": sprintf("the manifest declares logs kept %s, longer than the %s a model that is not high-risk may keep personal data (GDPR storage limitation); keep them at most %s and declare it", [fmt.duration(declared), fmt.duration(maximum), fmt.duration(maximum)]),
		"pointer": "/retention/declared/logsSeconds",
	}
}
