// Label matchers (`=`, `!=`, `=~`, `!~`) as Prometheus and Loki apply them to a label's value:
// regexes are fully anchored, and `.` matches a newline (Prometheus compiles `^(?s:re)$`). A
// label the series does not have is the empty value; the caller says which value to test.
import type { Matcher } from "./promql.js";

/** What a matcher needs to test a value; its regex, for `=~` and `!~`, as `compileLabelRegex` builds it. */
export interface CompiledMatcher {
  op: Matcher["op"];
  value: string;
  regex: RegExp | null;
}

/**
 * A label regex as Prometheus and Loki match it: anchored at both ends, `.` matching a newline, and
 * RE2's leading inline flags (`(?i)`, `(?s)`, `(?m)`, or several as `(?is)`), which JavaScript's
 * RegExp (Node 20) cannot take inline, turned into RegExp flags. Null when JavaScript cannot read
 * it: a syntax error, RE2 syntax JavaScript lacks, or RE2's `(?U)` (ungreedy), which it has no flag for.
 */
export function compileLabelRegex(source: string): RegExp | null {
  // A fleet repeats the same few selectors thousands of times: compile each once.
  if (compiled.has(source)) return compiled.get(source)!;
  const regex = compile(source);
  compiled.set(source, regex);
  return regex;
}

const compiled = new Map<string, RegExp | null>();

function compile(source: string): RegExp | null {
  let flags = "s";
  let body = source;
  const inline = /^\(\?([imsU]+)\)/.exec(body);
  if (inline) {
    if (inline[1]!.includes("U")) return null;
    if (inline[1]!.includes("i")) flags += "i";
    if (inline[1]!.includes("m")) flags += "m";
    body = body.slice(inline[0].length);
  }
  try {
    return new RegExp(`^(?:${body})$`, flags);
  } catch {
    return null;
  }
}

/** The matcher with its regex compiled (null for `=` and `!=`); null when its regex cannot be read. */
export function compileMatcher<M extends Pick<Matcher, "op" | "value">>(matcher: M): (M & { regex: RegExp | null }) | null {
  if (matcher.op !== "=~" && matcher.op !== "!~") return { ...matcher, regex: null };
  const regex = compileLabelRegex(matcher.value);
  return regex ? { ...matcher, regex } : null;
}

/** Whether a label's value (`""` for a label the series lacks) satisfies the compiled matcher. */
export function labelMatches(matcher: CompiledMatcher, value: string): boolean {
  switch (matcher.op) {
    case "=":
      return value === matcher.value;
    case "!=":
      return value !== matcher.value;
    case "=~":
      return matcher.regex!.test(value);
    case "!~":
      return !matcher.regex!.test(value);
  }
}
