// Prometheus-style durations (`1y2w3d4h5m6s7ms`) to seconds, so policies compare plain numbers.

const UNIT_SECONDS: Record<string, number> = {
  y: 365 * 86_400,
  w: 7 * 86_400,
  d: 86_400,
  h: 3_600,
  m: 60,
  s: 1,
  ms: 0.001,
};
const DURATION = /^(?:\d+(?:ms|s|m|h|d|w|y))+$/;
const PART = /(\d+)(ms|s|m|h|d|w|y)/g;

/** Seconds in a duration string, or null when it is not one. */
export function durationSeconds(text: string): number | null {
  if (!DURATION.test(text)) return null;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) total += Number(amount) * UNIT_SECONDS[unit!]!;
  return total;
}
