package org.rules.org_001_test

import data.org.rules.org_001

registry := {"team-risk": {"oncall": "risk-primary"}}

model(owner, tier) := {"model": {"name": "scorer", "owner": owner, "tier": tier}, "params": {}}

test_registered_owner_of_critical_model_passes if {
	count(org_001.findings) == 0 with input as model("team-risk", "critical") with data.teams as registry
}

test_unregistered_owner_of_critical_model_fails if {
	fs := org_001.findings with input as model("team-ghost", "critical") with data.teams as registry
	some f in fs
	f.rule == "ORG-001"
	f.pointer == "/model/owner"
	f.message == "scorer is a critical model, but its owner team-ghost is not a team in the registry"
}

test_standard_model_is_not_checked if {
	count(org_001.findings) == 0 with input as model("team-ghost", "standard") with data.teams as registry
}

# null stands for "no --data": `with` cannot remove data.teams, and `opa test .` loads teams.yaml.
test_missing_registry_is_named_in_the_message if {
	some f in org_001.findings with input as model("team-risk", "critical") with data.teams as null
	endswith(f.message, "(no team registry was given: pass teams.yaml with --data)")
}

test_params_widen_the_tiers if {
	input_high := object.union(model("team-ghost", "high"), {"params": {"org_001": {"tiers": ["critical", "high"]}}})
	count(org_001.findings) == 1 with input as input_high with data.teams as registry
}

test_rule_files_without_a_model_are_not_checked if {
	count(org_001.findings) == 0 with input as {"model": null, "params": {}} with data.teams as registry
}

test_contract_entry_points_gather_the_rule if {
	fs := data.obsgate.findings with input as model("team-ghost", "critical") with data.teams as registry
	count(fs) == 1
	data.obsgate.metadata["ORG-001"].family == "ORG"
}
