// Label matchers as Prometheus and Loki apply them: anchored regexes, `.` matching a newline, RE2's
// leading inline flags, and what JavaScript cannot read refused (null) rather than guessed.
import { describe, expect, it } from "vitest";
import { compileLabelRegex, compileMatcher, labelMatches } from "../../src/model/label-match.js";

const test = (source: string, value: string) => compileLabelRegex(source)!.test(value);

describe("compileLabelRegex", () => {
  it("anchors the whole value, also around alternations", () => {
    expect(test("fraud", "fraud")).toBe(true);
    expect(test("fraud", "fraud-detector")).toBe(false);
    expect(test("fraud", "anti-fraud")).toBe(false);
    expect(test("a|b", "ab")).toBe(false);
    expect(test("a|b", "b")).toBe(true);
    expect(test(".*", "")).toBe(true);
    expect(test(".+", "")).toBe(false);
  });

  it("lets `.` match a newline, with or without (?s)", () => {
    expect(test("a.b", "a\nb")).toBe(true);
    expect(test("(?s)a.b", "a\nb")).toBe(true);
  });

  it("reads RE2's leading inline flags (?i), (?m) and several at once", () => {
    expect(test("(?i)fraud-.*", "FRAUD-detector")).toBe(true);
    expect(test("fraud-.*", "FRAUD-detector")).toBe(false);
    expect(test("(?is)a.b", "A\nB")).toBe(true);
    expect(compileLabelRegex("(?im)x")!.flags).toBe("ims");
    expect(compileLabelRegex("(?i)x")!.source).toBe("^(?:x)$");
  });

  it("takes an inline flag group only at the start", () => {
    expect(compileLabelRegex("a(?i)b")).toBeNull();
  });

  it("refuses (?U), which JavaScript has no flag for, and what JavaScript cannot parse", () => {
    expect(compileLabelRegex("(?U)a+")).toBeNull();
    expect(compileLabelRegex("(?iU)a+")).toBeNull();
    expect(compileLabelRegex("(")).toBeNull();
    expect(compileLabelRegex("(?P<name>x)")).toBeNull(); // RE2's named group syntax
  });
});

describe("compileMatcher", () => {
  it("keeps the matcher's fields and compiles only regex operators", () => {
    expect(compileMatcher({ label: "app", op: "=", value: "a(" })).toEqual({ label: "app", op: "=", value: "a(", regex: null });
    expect(compileMatcher({ label: "app", op: "!=", value: "a(" })).toEqual({ label: "app", op: "!=", value: "a(", regex: null });
    const compiled = compileMatcher({ label: "app", op: "=~", value: "(?i)a.*" });
    expect(compiled).toMatchObject({ label: "app", op: "=~", value: "(?i)a.*" });
    expect(compiled!.regex).toEqual(/^(?:a.*)$/is);
  });

  it("is null when the regex cannot be read", () => {
    expect(compileMatcher({ op: "=~", value: "(" })).toBeNull();
    expect(compileMatcher({ op: "!~", value: "(?U)x" })).toBeNull();
  });
});

describe("labelMatches", () => {
  const matches = (op: "=" | "!=" | "=~" | "!~", expected: string, value: string) => labelMatches(compileMatcher({ op, value: expected })!, value);

  it.each([
    ["=", "prod", "prod", true],
    ["=", "prod", "Prod", false],
    ["=", "", "", true],
    ["!=", "prod", "prod", false],
    ["!=", "prod", "", true],
    ["=~", "eu-.*", "eu-west-1", true],
    ["=~", "eu-.*", "us-eu-1", false],
    ["=~", "(?i)EU-.*", "eu-west-1", true],
    ["=~", ".*", "", true],
    ["!~", "eu-.*", "eu-west-1", false],
    ["!~", "eu-.*", "us-east-1", true],
    ["!~", ".+", "", true],
  ] as const)("%s %j against %j is %s", (op, expected, value, result) => {
    expect(matches(op, expected, value)).toBe(result);
  });
});
