# ORG-001: a critical-tier model is owned by a team the organisation's registry lists. The
# registry is data, not code: `data.teams`, from teams.yaml passed with `--data teams.yaml` (or
# listed under `data:` in .obsgate.yaml), an object from team name to what the organisation
# knows of it. The finding points at the manifest's owner, which obsgate locates as
# file:line:column.
package org.rules.org_001

metadata := {
	"id": "ORG-001",
	"title": "A critical model's owner is a registered team",
	"severity": "error",
	"description": concat(" ", [
		"Every critical-tier model must be owned by a team in the organisation's team registry,",
		"so that its alerts page a team that exists and has an on-call rotation.",
	]),
	"remediation": concat(" ", [
		"Set metadata.owner to a team listed in teams.yaml, or register the team there",
		"(with its on-call rotation) in the same change.",
	]),
	"docs": "examples/custom-policy/README.md#org-001",
	"waivable": true,
	"family": "ORG",
}

# Which tiers the rule covers; a tier's parameters may widen it (`params: {org_001: {tiers: [...]}}`).
default_tiers := ["critical"]

tiers := t if {
	t := input.params.org_001.tiers
	is_array(t)
} else := default_tiers

registered(team) if data.teams[team]

# Said in the message when no registry reached the policy: the likely fix is a missing --data.
registry_note := "" if {
	is_object(data.teams)
} else := " (no team registry was given: pass teams.yaml with --data)"

findings contains f if {
	input.model.tier in tiers
	not registered(input.model.owner)
	f := {
		"rule": "ORG-001",
		"message": sprintf(
			"%s is a %s model, but its owner %s is not a team in the registry%s",
			[input.model.name, input.model.tier, input.model.owner, registry_note],
		),
		"pointer": "/model/owner",
	}
}
