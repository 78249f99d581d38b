# The two entry points of the built-in policy set (DESIGN.md, "Findings and the policy contract").
# Every rule lives in its own package under data.obsgate.rules and defines `findings` and
# `metadata`; this package only gathers them, so adding a rule never touches this file.
package obsgate

findings contains f if {
	some name
	some f in data.obsgate.rules[name].findings
}

metadata[id] := m if {
	some name
	m := data.obsgate.rules[name].metadata
	id := m.id
}
