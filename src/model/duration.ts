// Prometheus-style durations (`1y2w3d4h5m6s7ms`, or a bare `0`) to seconds, read as Prometheus's
// model.ParseDuration reads them: units largest first, each at most once. Policies compare numbers.

const UNIT_SECONDS: Record<string, number> = {
  y: 365 * 86_400,
  w: 7 * 86_400,
  d: 86_400,
  h: 3_600,
  m: 60,
  s: 1,
  ms: 0.001,
};
const DURATION = /^(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/;
const PART = /(\d+)(ms|s|m|h|d|w|y)/g;

/** Seconds in a duration string, or null when it is not one. */
export function durationSeconds(text: string): number | null {
  if (text === "0") return 0;
  if (text === "" || !DURATION.test(text)) return null;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) total += Number(amount) * UNIT_SECONDS[unit!]!;
  return total;
}
