# Parameters resolved for the model's tier arrive in input.params, keyed by rule (`alr_006`). A
# parameter that is missing, or of another type than its default, falls back to the default that
# POLICIES.md documents, so a typo in .obsgate.yaml never turns a check off.
package obsgate.lib.params

_of(rule) := p if {
	p := input.params[rule]
	is_object(p)
} else := {}

# get("alr_006", "min_for_seconds", 300)
get(rule, key, default_value) := v if {
	v := _of(rule)[key]
	type_name(v) == type_name(default_value)
} else := default_value
