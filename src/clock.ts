// The run's one clock. `--now` (default: the real time) is read once, at the edge, and reaches every
// stage as the same value, so an expiry, an age and a timestamp in one run never disagree and a
// test can pin them all. Dates here are UTC calendar dates (`YYYY-MM-DD`), as waivers write them.

const DAY_MS = 86_400_000;

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * `--now`'s value: an ISO 8601 date (`2026-05-01`, midnight UTC) or date-time with a zone
 * (`2026-05-01T12:00:00Z`, `…+02:00`). A time without a zone is refused: it would mean a
 * different instant on each machine. Returns the instant, or why the text is not one.
 */
export function parseInstant(text: string): Date | { error: string } {
  const match = INSTANT.exec(text.trim());
  if (!match) {
    return { error: "expected an ISO 8601 date or date-time with a zone, such as 2026-05-01 or 2026-05-01T12:00:00Z" };
  }
  const [, year, month, day, hour, minute, second, , zone] = match;
  if (epochDay(Number(year), Number(month), Number(day)) === null) return { error: `${year}-${month}-${day} is not a calendar date` };
  if (hour !== undefined && (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59)) {
    return { error: `${hour}:${minute}${second !== undefined ? `:${second}` : ""} is not a time of day` };
  }
  if (zone !== undefined && zone !== "Z" && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4)) > 59)) {
    return { error: `${zone} is not a UTC offset` };
  }
  const instant = new Date(hour === undefined ? `${text.trim()}T00:00:00Z` : text.trim());
  return Number.isNaN(instant.getTime()) ? { error: "not a valid time" } : instant;
}

/** Days since 1970-01-01 of a calendar date `YYYY-MM-DD`, or null when it is no such date (2026-02-30). */
export function parseUtcDate(text: string): number | null {
  const match = DATE.exec(text);
  return match ? epochDay(Number(match[1]), Number(match[2]), Number(match[3])) : null;
}

/** The UTC calendar day an instant falls on, as days since 1970-01-01. */
export function utcDay(instant: Date): number {
  return Math.floor(instant.getTime() / DAY_MS);
}

/** `YYYY-MM-DD` of a day counted from 1970-01-01. */
export function formatUtcDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function epochDay(year: number, month: number, day: number): number | null {
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March; a real date survives the round trip.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return ms / DAY_MS;
}
