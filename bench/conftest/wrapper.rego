# Bench only: lets conftest run obsgate's built-in policies unchanged. conftest queries, in each
# `--namespace` it is given, the rules named deny*, violation* and warn*, and expects each to be a
# set of messages (strings, or objects with a `msg`); obsgate's contract is one rule, `findings`, in
# package `obsgate`, a set of objects. This file adds those rules to the same package: a finding of
# severity error (its own `severity`, else its rule's default from `metadata`) becomes a deny, any
# other a warn. The message carries the rule and the pointer so that two findings never collapse
# into one set element.
#
#   conftest test --no-color --no-fail --output json --namespace obsgate \
#     --policy <policies/ without *_test.rego> --policy bench/conftest INPUT.json…
package obsgate

severity(f) := f.severity if {
	is_string(f.severity)
} else := metadata[f.rule].severity

message(f) := sprintf("%s %s: %s", [f.rule, f.pointer, f.message])

deny contains message(f) if {
	some f in findings
	severity(f) == "error"
}

warn contains message(f) if {
	some f in findings
	severity(f) != "error"
}
