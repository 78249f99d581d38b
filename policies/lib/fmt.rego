# Number and duration formatting that reads the same through OPA's Go sprintf (opa test) and the
# Wasm SDK's sprintf-js (obsgate itself): integers with thousands separators, other numbers in plain
# decimal notation, durations the way Prometheus and Loki write them.
package obsgate.lib.fmt

# 12960 -> "12,960"; 0.2 -> "0.2"; 0.014399999999998414 -> "0.0144"; 0.00001 -> "0.00001".
num(n) := grouped(n) if n == floor(n)

num(n) := decimal(n) if n != floor(n)

grouped(n) := concat("", ["-", _digits(abs(n))]) if n < 0

grouped(n) := _digits(n) if n >= 0

_digits(n) := concat("", [c |
	s := integer(n)
	len := count(s)
	some i in numbers.range(0, len - 1)
	c := concat("", [_sep(i, len), substring(s, i, 1)])
])

_sep(i, len) := "," if {
	i > 0
	(len - i) % 3 == 0
} else := ""

# A non-negative integer in decimal digits. The Wasm format_int fails above 2^31 - 1, so larger
# numbers are written in chunks of nine digits (exact up to 2^53, as numbers are in JavaScript).
integer(n) := format_int(n, 10) if n < 1000000000

integer(n) := concat("", [_chunk_text(n, k, top) | some k in numbers.range(top, 0)]) if {
	n >= 1000000000
	top := max([k | some k, p in _billions; p <= n])
}

_billions := [1, 1000000000, 1000000000000000000]

_chunk(n, k) := ((n - (n % p)) / p) % 1000000000 if p := _billions[k]

_chunk_text(n, k, top) := format_int(_chunk(n, k), 10) if k == top

_chunk_text(n, k, top) := _pad(format_int(_chunk(n, k), 10), 9) if k != top

_pad(digits, width) := concat("", [_zeros(width - count(digits)), digits])

# A fraction rounded to 10 significant digits and written without an exponent. Neither `%v` nor
# `%f` will do: Go prints 1e-05 and 0.3 where JavaScript prints 0.00001 and 0.30000000000000004,
# and OPA computes 1 - 0.999 exactly where Wasm computes it in binary floating point.
decimal(n) := concat("", ["-", _unsigned_decimal(abs(n))]) if n < 0

decimal(n) := _unsigned_decimal(n) if n >= 0

_powers := [
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000,
	100000000000, 1000000000000, 10000000000000, 100000000000000, 1000000000000000,
	10000000000000000, 100000000000000000, 1000000000000000000, 10000000000000000000,
	100000000000000000000,
]

# Decimal places that keep 10 significant digits (at most 20): enough for any threshold, and few
# enough that binary rounding noise (1 - 0.99999 is 0.00000999999999995449 in JavaScript) never shows.
_places(a) := min(ks) if {
	ks := [k | some k, p in _powers; a * p >= 1000000000]
	count(ks) > 0
} else := 20

_unsigned_decimal(a) := s if {
	k := _places(a)
	raw := integer(round(a * _powers[k]))
	padded := concat("", [_zeros((k + 1) - count(raw)), raw])
	cut := count(padded) - k
	whole := substring(padded, 0, cut)
	fraction := trim_right(substring(padded, cut, k), "0")
	s := _join_decimal(whole, fraction)
}

_zeros(n) := concat("", ["0" | some _ in numbers.range(1, n)]) if n > 0

_zeros(n) := "" if n <= 0

_join_decimal(whole, "") := whole

_join_decimal(whole, fraction) := concat(".", [whole, fraction]) if fraction != ""

# [0.1, 0.25] -> "0.1, 0.25"
list(ns) := concat(", ", [num(n) | some n in ns])

# Seconds as Prometheus and Loki write a duration, in the largest unit that divides them:
# 2592000 -> "30d", 21600 -> "6h", 300 -> "5m", 90 -> "90s", 0 -> "0s", 1.5 -> "1.5s".
duration(s) := d if {
	s == floor(s)
	d := _whole_duration(s)
} else := concat("", [num(s), "s"])

_whole_duration(s) := concat("", [_signed(s / 86400), "d"]) if {
	s != 0
	s % 86400 == 0
} else := concat("", [_signed(s / 3600), "h"]) if {
	s != 0
	s % 3600 == 0
} else := concat("", [_signed(s / 60), "m"]) if {
	s != 0
	s % 60 == 0
} else := concat("", [_signed(s), "s"])

_signed(n) := concat("", ["-", integer(abs(n))]) if n < 0

_signed(n) := integer(n) if n >= 0
