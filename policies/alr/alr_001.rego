# ALR-001: the rule file is one Prometheus accepts: its groups and rules can be read, each rule is
# exactly one of an alerting or a recording rule, and its expression parses as PromQL.
package obsgate.rules.alr_001

import data.obsgate.lib.fmt
import data.obsgate.lib.rules

metadata := {
	"id": "ALR-001",
	"title": "Alert rule files are valid",
	"severity": "error",
	"description": concat(" ", [
		"A rule file must be one Prometheus loads: `groups[].rules[]` (or `spec.groups` in a",
		"PrometheusRule), each rule with exactly one of `alert` or `record` and an `expr` that",
		"parses as PromQL. Prometheus rejects the whole file otherwise, so none of its alerts",
		"would fire (Prometheus alerting and recording rules).",
	]),
	"remediation": concat(" ", [
		"Fix the file where the finding points: give the rule one `alert:` or `record:` name and an",
		"`expr:`, and correct the PromQL at the column named (check it with `promtool check rules`).",
	]),
	"docs": "docs/rules/ALR-001.md",
	"waivable": false,
	"family": "ALR",
}

findings contains f if {
	some i, p in input.ruleProblems
	is_string(p.message)
	f := {
		"rule": "ALR-001",
		"message": p.message,
		"pointer": sprintf("/ruleProblems/%d", [i]),
	}
}

findings contains f if {
	some i, rule in input.rules
	err := _parse_error(rule)
	f := {
		"rule": "ALR-001",
		"message": sprintf("%s: expr is not valid PromQL: %s%s", [rules.name(rule), error_text(err), column_text(err)]),
		"pointer": sprintf("/rules/%d/expr", [i]),
	}
}

error_text(err) := err.message if {
	is_string(err.message)
} else := "syntax error"

column_text(err) := sprintf(" (at character %s of the expression)", [fmt.num(err.column)]) if {
	is_number(err.column)
} else := ""

_parse_error(rule) := err if {
	err := rule.query.error
	is_object(err)
}
