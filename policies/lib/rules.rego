# Helpers for the checks that read Prometheus alerting and recording rules (the ALR family):
# how a message names a rule, where a finding about one of its fields points, and what makes an
# alert a burn-rate alert (ALR-006 exempts those from `for:`, ALR-011 looks for them).
package obsgate.lib.rules

is_alert(rule) if rule.type == "alert"

# How a message names a rule: "alert FraudHighErrorRate", "recording rule fraud:errors:ratio_rate5m",
# or, for a rule with neither name, "a rule in group fraud-detector".
name(rule) := sprintf("alert %s", [rule.alert]) if {
	is_string(rule.alert)
} else := sprintf("recording rule %s", [rule.record]) if {
	is_string(rule.record)
} else := sprintf("a rule in group %s", [rule.group]) if {
	is_string(rule.group)
} else := "a rule"

# The pointer to rules[i].<field>.<key>: the key when the rule has it, else its parent object,
# else the rule itself (obsgate locates a pointer at its nearest ancestor that has a source).
field_pointer(i, rule, field, key) := sprintf("/rules/%d/%s/%s", [i, field, key]) if {
	is_object(rule[field])
	_ = rule[field][key]
} else := sprintf("/rules/%d/%s", [i, field]) if {
	is_object(rule[field])
} else := sprintf("/rules/%d", [i])

# rule.<field>.<key> when it is a string, else "": label(rule, "severity"), annotation(rule, "summary").
label(rule, key) := _text(rule, "labels", key)

annotation(rule, key) := _text(rule, "annotations", key)

_text(rule, field, key) := v if {
	v := rule[field][key]
	is_string(v)
} else := ""

# The top-level `or` branches of a rule's query, each the `and` chain of its conditions
# (`(r5m > t and r1h > t) or (r30m > u and r6h > u)` has two branches of two conditions each).
alternatives(rule) := alts if {
	alts := rule.query.alternatives
	is_array(alts)
} else := []

# A burn-rate branch: at least two conditions joined with `and`, each comparing a ratio over its
# own window with a constant threshold (`rate5m > 14.4 * (1 - 0.999) and rate1h > …`).
is_burn_rate_branch(conditions) if {
	count(conditions) >= 2
	every c in conditions {
		is_number(c.windowSeconds)
		is_number(c.comparison.threshold)
	}
}

# A burn-rate alert: every branch of its top-level `or` is a burn-rate branch (Sloth joins a
# severity's two window pairs with `or`).
is_burn_rate(rule) if {
	alts := alternatives(rule)
	count(alts) > 0
	every conditions in alts {
		is_burn_rate_branch(conditions)
	}
}

# Equal within a relative tolerance of 1e-6: Sloth writes 1 - 0.999 as 0.0009999999999998899.
approx(a, b) if abs(a - b) <= 0.000001 * max([abs(a), abs(b)])
