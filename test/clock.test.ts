// The run's one clock: what `--now` accepts and how UTC calendar dates are counted.
import { describe, expect, it } from "vitest";
import { formatUtcDate, parseInstant, parseUtcDate, utcDay } from "../src/clock.js";

describe("parseInstant (--now)", () => {
  it.each([
    ["2026-05-01", "2026-05-01T00:00:00.000Z"],
    ["2026-05-01T12:30:00Z", "2026-05-01T12:30:00.000Z"],
    ["2026-05-01T12:30Z", "2026-05-01T12:30:00.000Z"],
    ["2026-05-01T23:59:59.999Z", "2026-05-01T23:59:59.999Z"],
    ["2026-05-01T01:00:00+02:00", "2026-04-30T23:00:00.000Z"],
    ["2028-02-29", "2028-02-29T00:00:00.000Z"],
  ])("%s is %s", (text, iso) => {
    const instant = parseInstant(text);
    expect(instant).toBeInstanceOf(Date);
    expect((instant as Date).toISOString()).toBe(iso);
  });

  it.each([
    ["yesterday", "expected an ISO 8601 date"],
    ["2026-05-01T12:00:00", "expected an ISO 8601 date"],
    ["2026-5-1", "expected an ISO 8601 date"],
    ["2026-02-30", "2026-02-30 is not a calendar date"],
    ["2027-02-29", "2027-02-29 is not a calendar date"],
    ["2026-05-01T24:00:00Z", "24:00:00 is not a time of day"],
    ["2026-05-01T12:00:00+25:00", "+25:00 is not a UTC offset"],
  ])("refuses %s", (text, error) => {
    const result = parseInstant(text);
    expect(result).toHaveProperty("error");
    expect((result as { error: string }).error).toContain(error);
  });
});

describe("UTC dates", () => {
  it("counts days since 1970-01-01 and back", () => {
    expect(parseUtcDate("1970-01-02")).toBe(1);
    expect(formatUtcDate(parseUtcDate("2026-12-31")!)).toBe("2026-12-31");
    expect(parseUtcDate("2026-13-01")).toBeNull();
    expect(parseUtcDate("26-01-01")).toBeNull();
  });

  it("puts the last millisecond of a day on that day and midnight on the next", () => {
    expect(utcDay(new Date("2026-06-30T23:59:59.999Z"))).toBe(parseUtcDate("2026-06-30"));
    expect(utcDay(new Date("2026-07-01T00:00:00.000Z"))).toBe(parseUtcDate("2026-07-01"));
    // 01:00 in Berlin on July 1st is still June 30th in UTC.
    expect(utcDay(parseInstant("2026-07-01T01:00:00+02:00") as Date)).toBe(parseUtcDate("2026-06-30"));
  });
});
