package obsgate.lib.fmt_test

import data.obsgate.lib.fmt

test_small_integers_have_no_separator if {
	fmt.num(0) == "0"
	fmt.num(7) == "7"
	fmt.num(999) == "999"
}

test_thousands_are_grouped if {
	fmt.num(1000) == "1,000"
	fmt.num(12960) == "12,960"
	fmt.num(100000) == "100,000"
	fmt.num(1234567) == "1,234,567"
}

test_negative_integers if {
	fmt.num(-1234) == "-1,234"
}

test_fractions_print_as_v if {
	fmt.num(0.2) == "0.2"
	fmt.num(2.5) == "2.5"
}

test_integral_floats_print_as_integers if {
	fmt.num(1.0) == "1"
}

test_list if {
	fmt.list([0.1, 0.25, 1, 2500]) == "0.1, 0.25, 1, 2,500"
	fmt.list([]) == ""
}

test_fractions_are_plain_decimals_with_ten_significant_digits if {
	fmt.num(0.00001) == "0.00001"
	fmt.num(1 - 0.999) == "0.001"
	fmt.num(0.0009999999999998899) == "0.001"
	fmt.num(14.4 * 0.0009999999999998899) == "0.0144"
	fmt.num(0.1 + 0.2) == "0.3"
	fmt.num(0.999) == "0.999"
	fmt.num(1234.5) == "1234.5"
	fmt.num(-0.25) == "-0.25"
	fmt.num(0.00000999999999995449) == "0.00001"
	fmt.num(0.1234567891234) == "0.1234567891"
}

test_durations_use_the_largest_unit_that_divides_them if {
	fmt.duration(2592000) == "30d"
	fmt.duration(15897600) == "184d"
	fmt.duration(86400) == "1d"
	fmt.duration(21600) == "6h"
	fmt.duration(3600) == "1h"
	fmt.duration(5400) == "90m"
	fmt.duration(300) == "5m"
	fmt.duration(90) == "90s"
	fmt.duration(0) == "0s"
	fmt.duration(1.5) == "1.5s"
}

test_integers_beyond_32_bits if {
	fmt.integer(0) == "0"
	fmt.integer(999999999) == "999999999"
	fmt.integer(1000000000) == "1000000000"
	fmt.integer(2147483648) == "2147483648"
	fmt.integer(1000000000000) == "1000000000000"
	fmt.integer(9007199254740991) == "9007199254740991"
	fmt.integer(1000000000000000007) == "1000000000000000007"
	fmt.num(12000000000) == "12,000,000,000"
	fmt.duration(3153600000) == "36500d"
}
