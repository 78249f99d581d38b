package obsgate.lib.params_test

import data.obsgate.lib.params

test_a_set_parameter_wins if {
	params.get("alr_006", "min_for_seconds", 300) == 600 with input as {"params": {"alr_006": {"min_for_seconds": 600}}}
	params.get("alr_002", "allowed", ["critical"]) == ["page"] with input as {"params": {"alr_002": {"allowed": ["page"]}}}
}

test_missing_parameters_fall_back_to_the_default if {
	params.get("alr_006", "min_for_seconds", 300) == 300 with input as {"params": {}}
	params.get("alr_006", "min_for_seconds", 300) == 300 with input as {"params": {"alr_006": {}}}
	params.get("alr_006", "min_for_seconds", 300) == 300 with input as {}
	params.get("alr_006", "min_for_seconds", 300) == 300 with input as {"params": {"alr_006": "5m"}}
}

test_a_parameter_of_another_type_falls_back_to_the_default if {
	params.get("alr_006", "min_for_seconds", 300) == 300 with input as {"params": {"alr_006": {"min_for_seconds": "5m"}}}
	params.get("alr_002", "allowed", ["critical"]) == ["critical"] with input as {"params": {"alr_002": {"allowed": "critical"}}}
}
