// PromQL expression → PromQuery: what an alert or recording rule reads (metrics, selectors,
// ranges), how (functions, aggregations, set operators) and what it compares, so that Rego
// policies (ALR-006/008/010/011/013) match on plain fields instead of parsing PromQL themselves.
//
// The parser is Prometheus's own Lezer grammar (@prometheus-io/lezer-promql). Its tree is first
// turned into a small AST of the shapes the analysis needs (selectors, calls, aggregations,
// binary operators and the wrappers that only shift time), then the AST is read. Lezer recovers
// from syntax errors, so a broken expression still yields whatever can be read, plus its first
// error. Pure: no I/O, and never throws.
import { parser } from "@prometheus-io/lezer-promql";
import type { SyntaxNode } from "@lezer/common";
import { durationSeconds } from "./duration.js";
import type { PromComparison, PromCondition, PromQuery } from "./model-input.js";

type Selector = PromQuery["selectors"][number];
type ComparisonOp = PromComparison["op"];
type Join = PromQuery["joins"][number];

/** What the analysis needs of an expression; wrappers that only move time (`offset`, `@`) are `shifted`. */
type Ast =
  | { kind: "number"; value: number }
  | { kind: "string" }
  | { kind: "selector"; metric: string | null; matchers: Matcher[] }
  | { kind: "matrix"; expr: Ast | null; rangeSeconds: number | null }
  | { kind: "subquery"; expr: Ast | null; rangeSeconds: number | null; stepSeconds: number | null }
  | { kind: "call"; fn: string; args: Ast[] }
  | { kind: "aggregate"; op: string; by: string[]; without: string[]; args: Ast[] }
  | { kind: "binary"; op: string; bool: boolean; lhs: Ast | null; rhs: Ast | null }
  | { kind: "paren"; expr: Ast | null }
  | { kind: "unary"; negative: boolean; expr: Ast | null }
  | { kind: "shifted"; expr: Ast | null };

export type Matcher = PromQuery["selectors"][number]["matchers"][number];

/**
 * Looks up the PromQueries of the recording rules that produce a metric and whose labels can match
 * the selector's matchers (Sloth names every SLO's rules alike and tells them apart by `sloth_id`),
 * one or several, or none. Only their `ranges` and `selectors` are read, and recorded names among
 * them are followed here, so the lookup should return each rule's plain analysis
 * (`analyzePromQL(expr)`, without a lookup): an analysis that itself resolved through the lookup
 * would recurse forever on a cycle of rules.
 */
export type RecordedLookup = (name: string, matchers: readonly Matcher[]) => RecordedQuery | readonly RecordedQuery[] | undefined;

/** What a recording rule's analysis contributes to resolving the names it records: all that a fleet-wide index keeps. */
export interface RecordedQuery {
  ranges: readonly number[];
  selectors: ReadonlyArray<{ metric: string | null; matchers: readonly Matcher[] }>;
}

const COMPARISON_OPS: Record<string, ComparisonOp> = {
  Eql: "==", Neq: "!=", Gtr: ">", Lss: "<", Gte: ">=", Lte: "<=",
};
const MIRRORED: Record<ComparisonOp, ComparisonOp> = {
  "==": "==", "!=": "!=", ">": "<", "<": ">", ">=": "<=", "<=": ">=",
};
const SET_OPS: Record<string, Join> = { And: "and", Or: "or", Unless: "unless" };
const ARITHMETIC = new Set(["Add", "Sub", "Mul", "Div", "Mod", "Pow", "Atan2"]);
const BINARY_OPS = new Set([...Object.keys(COMPARISON_OPS), ...Object.keys(SET_OPS), ...ARITHMETIC, "TrimUpper", "TrimLower"]);
const SHIFTING = new Set(["OffsetExpr", "StepInvariantExpr", "AnchoredExpr", "SmoothedExpr"]);

/** Nesting beyond this is refused rather than risking the stack: no real rule comes close. */
const MAX_DEPTH = 400;

class TooDeep extends Error {}

export function analyzePromQL(expr: string, recorded?: RecordedLookup): PromQuery {
  return analyzeWith(parseExpression, expr, recorded);
}

/** The same analysis without the shape cache: the reference the cache is tested against. */
export function analyzePromQLAsWritten(expr: string, recorded?: RecordedLookup): PromQuery {
  return analyzeWith(parseAsWritten, expr, recorded);
}

function analyzeWith(parse: (expr: string) => Parsed, expr: string, recorded?: RecordedLookup): PromQuery {
  try {
    return analyze(parse(String(expr)), recorded ?? (() => undefined));
  } catch (error) {
    // The contract is "never throw": a failure of the analysis itself is reported as the error.
    const message = error instanceof TooDeep
      ? `expression nested deeper than ${MAX_DEPTH} levels`
      : `cannot analyse the expression (${error instanceof Error ? error.message : String(error)})`;
    return { ...emptyQuery(), error: { message, column: 1 } };
  }
}

function emptyQuery(): PromQuery {
  return {
    error: null, metrics: [], functions: [], selectors: [], ranges: [], subqueries: [],
    comparisons: [], joins: [], aggregations: [], alternatives: [],
  };
}

function analyze({ ast, error }: Parsed, recorded: RecordedLookup): PromQuery {
  const facts = collect(ast);
  const resolver = new RecordingResolver(recorded);
  return {
    error,
    metrics: sortedUnique(facts.selectors.flatMap((s) => (s.metric === null ? [] : [s.metric]))),
    functions: sortedUnique(facts.functions),
    selectors: facts.selectors,
    ranges: facts.ranges,
    subqueries: facts.subqueries,
    comparisons: facts.comparisons,
    joins: (["and", "or", "unless"] as const).filter((j) => facts.joins.has(j)),
    aggregations: facts.aggregations,
    // Sloth writes a severity's two burn-rate pairs as `(5m and 1h) or (30m and 6h)`.
    alternatives: orBranches(ast).map((alternative) => andBranches(alternative).map((branch) => condition(branch, resolver))),
  };
}

// ── Parsing, once per shape ────────────────────────────────────────────────────────────────────

/**
 * Rule files repeat the same expressions with other label values and metric names (Sloth and Pyrra
 * write every SLO's rules from one template, around each service's own metrics), so an expression
 * is parsed once per shape: its string literals masked as `"0"`, `"1"`, …, the metric names of its
 * selectors as `obsgate_metric_0`, …, and both put back into a copy of the shape's AST. Expressions
 * with comments, or whose masked form does not parse cleanly, are parsed as written.
 */
const shapes = new Map<string, Ast | null>();
const MAX_SHAPES = 4096;
const METRIC_PLACEHOLDER = "obsgate_metric_";

interface Parsed {
  ast: Ast | null;
  error: PromQuery["error"];
}

interface Masked {
  shape: string;
  literals: string[];
  metrics: string[];
}

function parseExpression(expr: string): Parsed {
  const masked = maskLiterals(expr);
  if (masked !== null) {
    let shape = shapes.get(masked.shape);
    if (shape === undefined) {
      const top = parser.parse(masked.shape).topNode;
      if (firstError(top, masked.shape) === null) {
        shape = toAst(firstExpr(top), masked.shape, 0);
        if (shapes.size >= MAX_SHAPES) shapes.clear();
        shapes.set(masked.shape, shape);
      }
    }
    if (shape !== undefined) return { ast: withLiterals(shape, masked), error: null };
  }
  return parseAsWritten(expr);
}

function parseAsWritten(expr: string): Parsed {
  const top = parser.parse(expr).topNode;
  return { ast: toAst(firstExpr(top), expr, 0), error: firstError(top, expr) };
}

const IDENTIFIER_START = /[a-zA-Z_:]/;
const IDENTIFIER_PART = /[a-zA-Z0-9_:]/;
/** Words the PromQL grammar reads as keywords, in some context or all (lezer-promql's keyword tables). */
const KEYWORDS = new Set([
  "inf", "nan", "bool", "ignoring", "on", "group_left", "group_right", "offset", "avg", "atan2", "bottomk", "count",
  "count_values", "group", "max", "min", "quantile", "limitk", "limit_ratio", "stddev", "stdvar", "sum", "topk", "by",
  "without", "and", "or", "unless", "smoothed", "anchored", "fill", "fill_left", "fill_right", "start", "end",
]);
const plainNames = new Map<string, boolean>();

/** Whether the parser reads a name before `{` as nothing but a metric name: no keyword, no function. */
function isPlainMetricName(name: string): boolean {
  let plain = plainNames.get(name);
  if (plain === undefined) {
    plain = !KEYWORDS.has(name.toLowerCase()) && firstExpr(parser.parse(`${name}{}`).topNode)?.name === "VectorSelector"
      && firstExpr(parser.parse(`${name}()`).topNode)?.name !== "FunctionCall";
    if (plainNames.size >= MAX_SHAPES) plainNames.clear();
    plainNames.set(name, plain);
  }
  return plain;
}

/** The expression with each string literal replaced by its index and each selector's metric name by a placeholder; null when not maskable. */
function maskLiterals(expr: string): Masked | null {
  if (expr.includes(METRIC_PLACEHOLDER)) return null;
  const literals: string[] = [];
  const metrics: string[] = [];
  let shape = "";
  let copied = 0;
  for (let i = 0; i < expr.length; i++) {
    const quote = expr[i]!;
    if (quote === "#") return null;
    if (IDENTIFIER_START.test(quote) && (i === 0 || !IDENTIFIER_PART.test(expr[i - 1]!))) {
      let end = i + 1;
      while (end < expr.length && IDENTIFIER_PART.test(expr[end]!)) end++;
      const name = expr.slice(i, end);
      if (expr[end] === "{" && isPlainMetricName(name)) {
        shape += `${expr.slice(copied, i)}${METRIC_PLACEHOLDER}${metrics.length}`;
        metrics.push(name);
        copied = end;
      }
      i = end - 1;
      continue;
    }
    if (quote !== '"' && quote !== "'" && quote !== "`") continue;
    let end = i + 1;
    while (end < expr.length && expr[end] !== quote) end += quote !== "`" && expr[end] === "\\" ? 2 : 1;
    const value = end < expr.length ? unquote(expr.slice(i, end + 1)) : null;
    if (value === null || (quote !== "`" && expr.slice(i, end).includes("\n"))) return null;
    shape += `${expr.slice(copied, i)}"${literals.length}"`;
    literals.push(value);
    copied = end + 1;
    i = end;
  }
  return { shape: shape + expr.slice(copied), literals, metrics };
}

/** A copy of a shape's AST with its masked strings (`"0"`, `"1"`, …) and metric names back. Identifiers never are all digits. */
function withLiterals(ast: Ast | null, masked: Masked): Ast | null {
  const text = (s: string) => (/^[0-9]+$/.test(s) ? masked.literals[Number(s)]! : s);
  const metric = (s: string) => (s.startsWith(METRIC_PLACEHOLDER) ? masked.metrics[Number(s.slice(METRIC_PLACEHOLDER.length))]! : text(s));
  const copy = (node: Ast | null) => withLiterals(node, masked);
  if (ast === null) return null;
  switch (ast.kind) {
    case "number":
    case "string":
      return ast;
    case "selector":
      return {
        kind: "selector",
        metric: ast.metric === null ? null : metric(ast.metric),
        matchers: ast.matchers.map((m) => ({ label: text(m.label), op: m.op, value: text(m.value) })),
      };
    case "call":
      return { ...ast, args: ast.args.map((a) => copy(a)!) };
    case "aggregate":
      return { ...ast, by: ast.by.map(text), without: ast.without.map(text), args: ast.args.map((a) => copy(a)!) };
    case "binary":
      return { ...ast, lhs: copy(ast.lhs), rhs: copy(ast.rhs) };
    default:
      return { ...ast, expr: copy(ast.expr) };
  }
}

// ── Errors ───────────────────────────────────────────────────────────────────────────────────

/**
 * The earliest error node, worded the way Prometheus users read parse errors; without one, the
 * earliest string literal that Lezer reads but Prometheus's lexer refuses (`"\d"`, an unknown escape).
 */
function firstError(top: SyntaxNode, expr: string): PromQuery["error"] {
  type Span = { from: number; to: number };
  const found: { first: Span | null; literal: Span | null } = { first: null, literal: null };
  top.cursor().iterate((node) => {
    if (node.type.isError && (found.first === null || node.from < found.first.from)) found.first = { from: node.from, to: node.to };
    const bad = node.name === "StringLiteral" && unquote(expr.slice(node.from, node.to)) === null;
    if (bad && (found.literal === null || node.from < found.literal.from)) found.literal = { from: node.from, to: node.to };
  });
  const { first, literal } = found;
  // Prometheus rejects an empty expression (`no expression found in input`).
  if (expr.trim() === "") return { message: "empty expression", column: 1 };
  if (first === null && literal !== null) {
    return {
      message: `malformed string ${truncate(expr.slice(literal.from, literal.to))} (an unknown or incomplete escape sequence, or no closing quote)`,
      column: literal.from + 1,
    };
  }
  if (first === null) return null;
  const { from, to } = first;
  // Placed just after the last token, not after the newline a YAML block scalar leaves at the end.
  const end = expr.trimEnd().length;
  if (from >= end) return { message: "unexpected end of expression", column: end + 1 };
  // `foo(x)` where foo is no PromQL function: Lezer reads `foo` as a metric and trips on `(`.
  const before = from > 0 ? top.resolveInner(from, -1) : null;
  if (expr[from] === "(" && before?.type.name === "Identifier" && before.parent?.type.name === "VectorSelector") {
    return { message: `unknown function "${expr.slice(before.from, before.to)}"`, column: before.from + 1 };
  }
  const near = to > from ? expr.slice(from, to) : expr.slice(from).trimStart().split(/\s/)[0]!;
  return { message: `syntax error near "${truncate(near.trim() || expr.slice(from, from + 1))}"`, column: from + 1 };
}

function truncate(text: string): string {
  return text.length > 20 ? `${text.slice(0, 20)}…` : text;
}

// ── Lezer tree → AST ───────────────────────────────────────────────────────────────────────────

function children(node: SyntaxNode): SyntaxNode[] {
  const list: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) list.push(child);
  return list;
}

function isExpr(node: SyntaxNode): boolean {
  return node.type.is("Expr");
}

function firstExpr(node: SyntaxNode | null): SyntaxNode | null {
  return node ? (children(node).find(isExpr) ?? null) : null;
}

function child(node: SyntaxNode, name: string): SyntaxNode | null {
  return node.getChild(name);
}

function toAst(node: SyntaxNode | null, expr: string, depth: number): Ast | null {
  if (node === null) return null;
  if (depth > MAX_DEPTH) throw new TooDeep();
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const sub = (n: SyntaxNode | null) => toAst(n, expr, depth + 1);
  const name = node.type.name;
  switch (name) {
    case "NumberDurationLiteral":
      return { kind: "number", value: numberValue(text(node)) ?? Number.NaN };
    case "StringLiteral":
      return { kind: "string" };
    case "VectorSelector":
      return selector(node, expr);
    case "ParenExpr":
      return { kind: "paren", expr: sub(firstExpr(node)) };
    case "UnaryExpr": {
      const op = child(node, "UnaryOp");
      return { kind: "unary", negative: op !== null && text(op) === "-", expr: sub(firstExpr(node)) };
    }
    case "MatrixSelector":
      return { kind: "matrix", expr: sub(firstExpr(node)), rangeSeconds: durationValue(child(node, "DurationExpr"), expr) };
    case "SubqueryExpr": {
      const [range, step] = node.getChildren("DurationExpr");
      return {
        kind: "subquery",
        expr: sub(firstExpr(node)),
        rangeSeconds: durationValue(range ?? null, expr),
        stepSeconds: durationValue(step ?? null, expr),
      };
    }
    case "FunctionCall": {
      const id = child(node, "FunctionIdentifier");
      return { kind: "call", fn: id ? text(id) : "", args: callArgs(node).map(sub).filter(isAst) };
    }
    case "AggregateExpr": {
      const op = child(node, "AggregateOp");
      const modifier = child(node, "AggregateModifier");
      const labels = modifier ? groupingLabels(child(modifier, "GroupingLabels"), expr) : [];
      const without = modifier !== null && child(modifier, "Without") !== null;
      return {
        kind: "aggregate",
        op: op ? text(op).toLowerCase() : "",
        by: without ? [] : labels,
        without: without ? labels : [],
        args: callArgs(node).map(sub).filter(isAst),
      };
    }
    case "BinaryExpr":
      return binary(node, expr, depth);
    default:
      if (SHIFTING.has(name)) return { kind: "shifted", expr: sub(firstExpr(node)) };
      return null; // error nodes and anything the grammar may add later
  }
}

function isAst(ast: Ast | null): ast is Ast {
  return ast !== null;
}

function callArgs(node: SyntaxNode): SyntaxNode[] {
  const body = node.getChild("FunctionCallBody");
  return body ? children(body).filter(isExpr) : [];
}

/** `lhs op [bool] [on(…) group_left(…)] [fill(…)] rhs`; either side may be missing after an error. */
function binary(node: SyntaxNode, expr: string, depth: number): Ast {
  const parts = children(node);
  const opIndex = parts.findIndex((p) => BINARY_OPS.has(p.type.name));
  const before = opIndex < 0 ? parts : parts.slice(0, opIndex);
  const after = opIndex < 0 ? [] : parts.slice(opIndex + 1);
  return {
    kind: "binary",
    op: opIndex < 0 ? "" : parts[opIndex]!.type.name,
    bool: parts.some((p) => p.type.name === "BoolModifier"),
    lhs: toAst(before.find(isExpr) ?? null, expr, depth + 1),
    rhs: toAst(after.find(isExpr) ?? null, expr, depth + 1),
  };
}

function selector(node: SyntaxNode, expr: string): Ast {
  const id = node.getChild("Identifier");
  let metric = id ? expr.slice(id.from, id.to) : null;
  const matchers: Matcher[] = [];
  const list = node.getChild("LabelMatchers");
  for (const item of list ? children(list) : []) {
    if (item.type.name === "QuotedLabelName") {
      // `{"metric.name", job="x"}`: a bare quoted name is the metric (Prometheus 3 UTF-8 names).
      const literal = item.getChild("StringLiteral");
      if (literal) metric ??= literalValue(literal, expr);
      continue;
    }
    if (item.type.name !== "UnquotedLabelMatcher" && item.type.name !== "QuotedLabelMatcher") continue;
    const labelNode = item.getChild("LabelName") ?? item.getChild("QuotedLabelName")?.getChild("StringLiteral") ?? null;
    const opNode = item.getChild("MatchOp");
    const valueNode = item.getChildren("StringLiteral").at(-1) ?? null;
    if (!labelNode || !opNode || !valueNode || valueNode === labelNode) continue;
    const matcher: Matcher = {
      label: labelNode.type.name === "StringLiteral" ? literalValue(labelNode, expr) : expr.slice(labelNode.from, labelNode.to),
      op: expr.slice(opNode.from, opNode.to) as Matcher["op"],
      value: literalValue(valueNode, expr),
    };
    matchers.push(matcher);
    if (matcher.label === "__name__" && matcher.op === "=") metric ??= matcher.value;
  }
  return { kind: "selector", metric, matchers };
}

function groupingLabels(node: SyntaxNode | null, expr: string): string[] {
  if (!node) return [];
  return children(node).flatMap((label) => {
    if (label.type.name === "LabelName") return [expr.slice(label.from, label.to)];
    const literal = label.type.name === "QuotedLabelName" ? label.getChild("StringLiteral") : null;
    return literal ? [literalValue(literal, expr)] : [];
  });
}

// ── Literals ───────────────────────────────────────────────────────────────────────────────────

/** A PromQL number literal's value: decimal, hex, `inf`/`nan`, `_` separators, or a duration in seconds. */
function numberValue(raw: string): number | null {
  let text = raw.trim().replace(/_/g, "");
  let sign = 1;
  if (text.startsWith("-") || text.startsWith("+")) {
    if (text.startsWith("-")) sign = -1;
    text = text.slice(1);
  }
  const lower = text.toLowerCase();
  if (lower === "inf") return sign * Infinity;
  if (lower === "nan") return Number.NaN;
  const seconds = durationSeconds(text);
  if (seconds !== null) return sign * seconds;
  if (text === "") return null;
  const value = Number(text);
  return Number.isNaN(value) ? null : sign * value;
}

/** A range or step (`5m`, `1h30m`, `90` seconds, `5m + 1m`, `min_of(…)`) in seconds; null when it needs a query's step. */
function durationValue(node: SyntaxNode | null, expr: string): number | null {
  if (!node) return null;
  const parts = children(node).filter((c) => !c.type.isError);
  const literal = parts.find((c) => c.type.name === "NumberDurationLiteralInDurationContext");
  if (literal && parts.length === 1) return numberValue(expr.slice(literal.from, literal.to));
  const operands = parts.filter((c) => c.type.name === "DurationExpr");
  const values = operands.map((o) => durationValue(o, expr));
  if (values.some((v) => v === null)) return null;
  const [a, b] = values as number[];
  const head = parts[0]?.type.name;
  if (head === "DurationMinOf" && b !== undefined) return Math.min(a!, b);
  if (head === "DurationMaxOf" && b !== undefined) return Math.max(a!, b);
  if (head === "UnaryOp" && a !== undefined) return expr.slice(parts[0]!.from, parts[0]!.to) === "-" ? -a : a;
  const op = parts.find((c) => ARITHMETIC.has(c.type.name));
  if (op && a !== undefined && b !== undefined) return arithmetic(op.type.name, a, b);
  if (operands.length === 1 && parts.length === 1) return a ?? null; // `(5m)`
  return null; // step(), range(), or a broken duration
}

/**
 * The value of a PromQL string literal: "…" and '…' with Go escapes, `…` raw. Null when it is
 * malformed (unterminated, an unknown escape, a short `\x`, `\u`, `\U` or octal escape, or a code
 * point beyond U+10FFFF), which Prometheus refuses.
 */
function unquote(literal: string): string | null {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote) return null;
  const body = literal.slice(1, -1);
  if (quote === "`") return body;
  if (quote !== '"' && quote !== "'") return null;
  const simple: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"', "'": "'" };
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return null;
    if (simple[e] !== undefined) out += simple[e];
    else if (e === "x" || e === "u" || e === "U") {
      const width = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + width);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) return null;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) return null;
      out += String.fromCodePoint(code);
      i += width;
    } else if (/[0-7]/.test(e)) {
      const octal = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(octal)) return null;
      out += String.fromCharCode(parseInt(octal, 8));
      i += 2;
    } else return null;
  }
  return out;
}

/** A string literal's value; a malformed one (reported as the expression's error) as written. */
function literalValue(node: SyntaxNode, expr: string): string {
  const literal = expr.slice(node.from, node.to);
  return unquote(literal) ?? literal;
}

// ── Reading the AST ────────────────────────────────────────────────────────────────────────────

interface Facts {
  selectors: Selector[];
  functions: string[];
  ranges: number[];
  subqueries: PromQuery["subqueries"];
  comparisons: PromComparison[];
  joins: Set<Join>;
  aggregations: PromQuery["aggregations"];
}

/** The function a selector is read through, and whether an aggregation sits in between. */
interface Context {
  fn: string | null;
  aggregated: boolean;
  rangeSeconds: number | null;
}

function collect(ast: Ast | null): Facts {
  const facts: Facts = {
    selectors: [], functions: [], ranges: [], subqueries: [], comparisons: [], joins: new Set(), aggregations: [],
  };
  walk(ast, { fn: null, aggregated: false, rangeSeconds: null }, facts);
  return facts;
}

function walk(ast: Ast | null, ctx: Context, facts: Facts): void {
  if (ast === null) return;
  // A range applies only to the selector it is written on (through parens or an offset).
  const inner: Context = { ...ctx, rangeSeconds: null };
  switch (ast.kind) {
    case "number":
    case "string":
      return;
    case "selector":
      facts.selectors.push({
        metric: ast.metric,
        matchers: ast.matchers,
        rangeSeconds: ctx.rangeSeconds,
        function: ctx.fn,
        aggregatedInside: ctx.fn !== null && ctx.aggregated,
      });
      return;
    case "matrix":
      if (ast.rangeSeconds !== null) facts.ranges.push(ast.rangeSeconds);
      walk(ast.expr, { ...ctx, rangeSeconds: ast.rangeSeconds }, facts);
      return;
    case "subquery":
      if (ast.rangeSeconds !== null) {
        facts.ranges.push(ast.rangeSeconds);
        facts.subqueries.push({ rangeSeconds: ast.rangeSeconds, stepSeconds: ast.stepSeconds });
      }
      walk(ast.expr, inner, facts);
      return;
    case "paren":
    case "shifted":
      walk(ast.expr, ctx, facts);
      return;
    case "unary":
      walk(ast.expr, inner, facts);
      return;
    case "call":
      if (ast.fn) facts.functions.push(ast.fn);
      for (const arg of ast.args) walk(arg, { fn: ast.fn || null, aggregated: false, rangeSeconds: null }, facts);
      return;
    case "aggregate":
      facts.aggregations.push({ op: ast.op, by: ast.by, without: ast.without });
      for (const arg of ast.args) walk(arg, { ...inner, aggregated: true }, facts);
      return;
    case "binary": {
      const join = SET_OPS[ast.op];
      if (join) facts.joins.add(join);
      const comparison = toComparison(ast);
      if (comparison) facts.comparisons.push(comparison);
      walk(ast.lhs, inner, facts);
      walk(ast.rhs, inner, facts);
      return;
    }
  }
}

/** `<non-constant> op <constant>`, mirrored when the constant is written on the left. */
function toComparison(ast: Ast): PromComparison | null {
  if (ast.kind !== "binary") return null;
  const op = COMPARISON_OPS[ast.op];
  if (!op) return null;
  // A non-finite constant (`Inf`, `1/0`, `NaN`) cannot cross into Rego (JSON has no such number):
  // such a comparison is kept, with no threshold.
  const finite = (value: number | null) => (value !== null && Number.isFinite(value) ? value : null);
  const left = finite(fold(ast.lhs));
  const right = finite(fold(ast.rhs));
  if (right !== null) return { op, bool: ast.bool, threshold: right };
  if (left !== null) return { op: MIRRORED[op], bool: ast.bool, threshold: left };
  return { op, bool: ast.bool, threshold: null };
}

/** The value of constant arithmetic (`14.4 * (1 - 0.999)`), or null when it reads any data. */
function fold(ast: Ast | null): number | null {
  if (ast === null) return null;
  switch (ast.kind) {
    case "number":
      return ast.value;
    case "paren":
      return fold(ast.expr);
    case "unary": {
      const value = fold(ast.expr);
      return value === null ? null : ast.negative ? -value : value;
    }
    case "binary": {
      if (!ARITHMETIC.has(ast.op) || ast.bool) return null;
      const a = fold(ast.lhs);
      const b = fold(ast.rhs);
      return a === null || b === null ? null : arithmetic(ast.op, a, b);
    }
    default:
      return null;
  }
}

function arithmetic(op: string, a: number, b: number): number | null {
  switch (op) {
    case "Add": return a + b;
    case "Sub": return a - b;
    case "Mul": return a * b;
    case "Div": return a / b;
    case "Mod": return a % b; // Go's math.Mod: the sign of the dividend, as JavaScript's %
    case "Pow": return a ** b;
    case "Atan2": return Math.atan2(a, b);
    default: return null;
  }
}

// ── Conditions (the top-level `and` chain) ─────────────────────────────────────────────────────

/** Sides of the top-level `and` chain, looking through parentheses (Sloth wraps the whole chain). */
function andBranches(ast: Ast | null): Array<Ast | null> {
  if (ast?.kind === "paren") return andBranches(ast.expr);
  if (ast?.kind === "binary" && ast.op === "And") return [...andBranches(ast.lhs), ...andBranches(ast.rhs)];
  return [ast];
}

/** Sides of the top-level `or` chain, looking through parentheses. */
function orBranches(ast: Ast | null): Array<Ast | null> {
  if (ast?.kind === "paren") return orBranches(ast.expr);
  if (ast?.kind === "binary" && ast.op === "Or") return [...orBranches(ast.lhs), ...orBranches(ast.rhs)];
  return [ast];
}

/** The comparison a branch makes, under the aggregations and parentheses that wrap it (`max(x > k) without (…)`). */
function topComparison(ast: Ast | null): PromComparison | null {
  if (ast?.kind === "paren") return topComparison(ast.expr);
  if (ast?.kind === "aggregate") return topComparison(ast.args.at(-1) ?? null);
  return ast ? toComparison(ast) : null;
}

function condition(branch: Ast | null, resolver: RecordingResolver): PromCondition {
  const facts = collect(branch);
  const metrics: string[] = [];
  const recorded: string[] = [];
  let window = longest(facts.ranges);
  for (const selector of facts.selectors) {
    const name = selector.metric;
    if (name === null) continue;
    const resolved = resolver.resolve(name, selector.matchers);
    if (resolved === null) {
      metrics.push(name);
      continue;
    }
    if (!recorded.includes(name)) recorded.push(name);
    metrics.push(...resolved.metrics);
    if (resolved.windowSeconds !== null) window = Math.max(window ?? resolved.windowSeconds, resolved.windowSeconds);
  }
  return { metrics: sortedUnique(metrics), recorded: sortedUnique(recorded), windowSeconds: window, comparison: topComparison(branch) };
}

interface Resolution {
  metrics: string[];
  windowSeconds: number | null;
}

/** Replaces recorded metrics by what their recording expressions read, transitively, cycles cut. */
class RecordingResolver {
  private readonly memo = new Map<string, Resolution | null>();

  constructor(private readonly lookup: RecordedLookup) {}

  /** Null when no recording rule produces the name for these matchers. */
  resolve(name: string, matchers: readonly Matcher[]): Resolution | null {
    return this.visit(name, matchers, new Set()).resolution;
  }

  /** `cut` says a cycle was cut below: such a result depends on the path, so it is not remembered. */
  private visit(name: string, matchers: readonly Matcher[], path: ReadonlySet<string>): { resolution: Resolution | null; cut: boolean } {
    const key = `${name}\0${matchers.map((m) => `${m.label}${m.op}${m.value}`).sort().join("\0")}`;
    const known = this.memo.get(key);
    if (known !== undefined) return { resolution: known, cut: false };
    const queries = safeLookup(this.lookup, name, matchers);
    if (queries.length === 0) {
      this.memo.set(key, null);
      return { resolution: null, cut: false };
    }
    const inPath = new Set(path).add(name);
    const metrics: string[] = [];
    let window: number | null = null;
    let cut = false;
    for (const query of queries) {
      const own = longest(query.ranges);
      if (own !== null) window = Math.max(window ?? own, own);
      for (const selector of query.selectors) {
        const read = selector.metric;
        if (read === null) continue;
        // A rule that (transitively) reads itself stops there, keeping the name it cannot resolve.
        if (inPath.has(read)) {
          cut = true;
          metrics.push(read);
          continue;
        }
        const inner = this.visit(read, selector.matchers ?? [], inPath);
        cut ||= inner.cut;
        if (inner.resolution === null) {
          metrics.push(read);
          continue;
        }
        metrics.push(...inner.resolution.metrics);
        const w = inner.resolution.windowSeconds;
        if (w !== null) window = Math.max(window ?? w, w);
      }
    }
    const resolution = { metrics: sortedUnique(metrics), windowSeconds: window };
    if (!cut) this.memo.set(key, resolution);
    return { resolution, cut };
  }
}

/** What the lookup returns, as a list of well-formed analyses; a lookup that throws finds nothing. */
function safeLookup(lookup: RecordedLookup, name: string, matchers: readonly Matcher[]): RecordedQuery[] {
  let found: ReturnType<RecordedLookup>;
  try {
    found = lookup(name, matchers);
  } catch {
    return [];
  }
  const list = found === undefined ? [] : Array.isArray(found) ? found : [found as RecordedQuery];
  return list.filter((q) => q && Array.isArray(q.selectors) && Array.isArray(q.ranges));
}

/** The largest value, or null for none (a loop, not `Math.max(...)`, which caps its argument count). */
function longest(values: readonly number[]): number | null {
  let max: number | null = null;
  for (const value of values) if (typeof value === "number" && (max === null || value > max)) max = value;
  return max;
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
