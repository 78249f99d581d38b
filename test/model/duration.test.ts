// durationSeconds: Prometheus-style durations to seconds.
import { describe, expect, it } from "vitest";
import { durationSeconds } from "../../src/model/duration.js";

describe("durationSeconds", () => {
  it.each([
    ["30d", 2_592_000],
    ["1h30m", 5_400],
    ["1y", 31_536_000],
    ["2w", 1_209_600],
    ["500ms", 0.5],
    ["1ms", 0.001],
    ["90s", 90],
    ["5m", 300],
    ["184d", 15_897_600],
    ["0s", 0],
    ["1d12h", 129_600],
    ["0", 0],
    ["744h", 744 * 3_600],
    ["90s500ms", 90.5],
  ])("%s → %d seconds", (text, seconds) => {
    expect(durationSeconds(text)).toBe(seconds);
  });

  it("adds every unit of a long duration", () => {
    expect(durationSeconds("1y2w3d4h5m6s7ms")).toBeCloseTo(31_536_000 + 1_209_600 + 259_200 + 14_400 + 300 + 6 + 0.007, 9);
  });

  it.each(["30days", "1.5h", "", "-1d", "30", "d", "1D", " 1d", "1d ", "1 d", "1h-30m", "+1d", "1e3s", "ms", "5m1h", "1h1h", "30s1m", "12h1d", "10us", "2 weeks"])("%j is not a duration", (text) => {
    expect(durationSeconds(text)).toBe(null);
  });
});
