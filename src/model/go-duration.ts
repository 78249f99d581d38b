// Go `time.Duration` strings (`336h`, `1h30m`, `1.5h`, `300ms`, `2us`, `0`) to seconds, exactly as
// Go's time.ParseDuration reads them, for the settings a backend decodes into a time.Duration (Tempo's
// `compaction.block_retention`). Prometheus-style durations (`30d`, `1w`) are src/model/duration.ts's:
// Go has no d, w or y unit, so `30d` is not a Go duration and Tempo refuses it there.
// Grammar (Go's own doc comment): [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+, or the bare "0".

const NANOSECONDS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  "\u00b5s": 1_000n, // µ, MICRO SIGN
  "\u03bcs": 1_000n, // μ, GREEK SMALL LETTER MU
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
/** Go keeps durations in an int64 of nanoseconds; a larger magnitude is an error there. */
const MAX_NANOSECONDS = 1n << 63n;

/** The units Go accepts, for messages. */
export const GO_DURATION_UNITS = ["ns", "us", "ms", "s", "m", "h"] as const;

/** Seconds in a Go duration string (negative when it starts with `-`), or null when Go would refuse it. */
export function goDurationSeconds(text: string): number | null {
  const nanoseconds = goDurationNanoseconds(text);
  return nanoseconds === null ? null : Number(nanoseconds) / 1e9;
}

/** The same, in whole nanoseconds, as Go computes them (fractions truncated per term). */
export function goDurationNanoseconds(text: string): bigint | null {
  let s = text;
  let negative = false;
  if (s.startsWith("-") || s.startsWith("+")) {
    negative = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") return null;
  let total = 0n;
  while (s !== "") {
    const term = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const whole = term[1]!;
    const fraction = term[2];
    // Go requires digits before or after the dot: `.5h` and `5.h` are durations, `.h` is not.
    if (whole === "" && (fraction === undefined || fraction === "")) return null;
    s = s.slice(term[0].length);
    const unitText = /^[^\d.]*/.exec(s)![0];
    if (unitText === "") return null; // a number without a unit
    const unit = NANOSECONDS[unitText];
    if (unit === undefined) return null;
    s = s.slice(unitText.length);
    let value = BigInt(whole === "" ? "0" : whole) * unit;
    if (fraction) value += fractionNanoseconds(fraction, unit);
    total += value;
    if (total > MAX_NANOSECONDS) return null;
  }
  if (!negative && total === MAX_NANOSECONDS) return null;
  return negative ? -total : total;
}

/** Go's leadingFraction: digits beyond int64 precision are read but ignored, then f × (unit/scale), truncated. */
function fractionNanoseconds(digits: string, unit: bigint): bigint {
  let x = 0n;
  let scale = 1;
  for (const digit of digits) {
    const next = x * 10n + BigInt(digit);
    if (next >= MAX_NANOSECONDS) break;
    x = next;
    scale *= 10;
  }
  return BigInt(Math.trunc(Number(x) * (Number(unit) / scale)));
}
