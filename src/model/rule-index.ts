// Every alert and recording rule of every loaded rule file, read once for the whole fleet, with
// each expression analysed. Recording rules are resolved by name across files, so an alert on
// `slo:sli_error:ratio_rate5m` is known to read the SLI's own metrics over 5 minutes.
import type { LoadedDocument } from "../load/index.js";
import { compileMatcher, labelMatches } from "./label-match.js";
import type { ModelInputRule, PromQuery, RuleFileProblem } from "./model-input.js";
import { analyzePromQL, type Matcher, type RecordedQuery } from "./promql.js";
import { readRuleFile, type RuleAsWritten, type RuleFileRead } from "./rules.js";
import { StringTable } from "./string-table.js";

export interface IndexedRule {
  rule: Omit<ModelInputRule, "ownedBy" | "owners">;
  doc: LoadedDocument;
  /** Pointer of the rule in its document. */
  pointer: string;
  /** Its place among the rules of its document, which names it across passes over the fleet. */
  ordinal: number;
  /** Labels the rule inherits from its group → where the group sets them. */
  labelPointers: Record<string, string>;
}

export interface IndexedRuleProblem {
  problem: RuleFileProblem;
  doc: LoadedDocument;
  pointer: string;
}

export interface RuleIndex {
  rules: IndexedRule[];
  problems: IndexedRuleProblem[];
  /** Names produced by recording rules, sorted. */
  recorded: string[];
}

/**
 * Every recording rule of the fleet that parses, by the name it records: what resolves a name an
 * alert reads, in any file. Only the rule's labels, ranges and selectors are kept, so the index of
 * a large fleet stays small beside the rule files themselves.
 */
export class RecordingIndex {
  private readonly candidates = new Map<string, Array<{ labels: Record<string, string>; query: RecordedQuery }>>();
  // Several rules may record one name (Sloth does, once per SLO, told apart by `sloth_id`): an
  // alert's selector resolves to the ones whose labels its matchers can match. In a fleet of a
  // thousand Sloth SLOs a name has a thousand candidates, so `=` matchers narrow through an index.
  private readonly narrowers = new Map<string, CandidateIndex>();
  /** The strings of the index, each kept once (see StringTable); also for what else outlives a pass over the files. */
  readonly strings = new StringTable();

  /** Adds the recording rules of one rule file, in the order they are written. */
  add(rules: ReadonlyArray<{ rule: RuleAsWritten; query: PromQuery | null }>): void {
    for (const { rule, query } of rules) {
      if (rule.record === null || !query) continue;
      const list = this.candidates.get(rule.record) ?? [];
      list.push(this.strings.copy({ labels: rule.labels, query: { ranges: query.ranges, selectors: query.selectors.map((s) => ({ metric: s.metric, matchers: s.matchers })) } }));
      this.candidates.set(rule.record, list);
      this.narrowers.delete(rule.record);
    }
  }

  has(name: string): boolean {
    return this.candidates.has(name);
  }

  /** Recorded names, sorted. */
  names(): string[] {
    return [...this.candidates.keys()].sort();
  }

  readonly lookup = (name: string, matchers: readonly Matcher[]): RecordedQuery[] => {
    const candidates = this.candidates.get(name);
    if (!candidates) return [];
    let index = this.narrowers.get(name);
    if (!index) this.narrowers.set(name, (index = new CandidateIndex(candidates.map((c) => c.labels))));
    return index
      .narrow(matchers)
      .filter((i) => matchers.every((m) => labelCanMatch(candidates[i]!.labels, m)))
      .map((i) => candidates[i]!.query);
  };
}

/** A rule document's rules, each expression analysed on its own (no recorded name resolved yet). */
export function readRules(doc: LoadedDocument): { rules: Array<RuleFileRead["rules"][number] & { query: PromQuery | null }>; problems: RuleFileRead["problems"] } {
  const file = readRuleFile(doc);
  return { rules: file.rules.map((r) => ({ ...r, query: r.rule.expr === null ? null : analyzePromQL(r.rule.expr) })), problems: file.problems };
}

export function isRuleDocument(doc: { kind: LoadedDocument["kind"] }): boolean {
  return doc.kind === "prometheus-rules" || doc.kind === "prometheus-rule-resource";
}

/**
 * The rules of these documents, each expression analysed; names recorded anywhere in the fleet
 * (`recordings`, by default those of these documents) resolve to what their rules read.
 */
export function indexRules(documents: readonly LoadedDocument[], recordings?: RecordingIndex): RuleIndex {
  const read: Array<ReturnType<typeof readRules>["rules"][number] & { doc: LoadedDocument; ordinal: number }> = [];
  const problems: IndexedRuleProblem[] = [];
  const own = recordings === undefined ? new RecordingIndex() : null;
  for (const doc of documents) {
    if (!isRuleDocument(doc)) continue;
    // First pass: each expression on its own; the recording rules' results then resolve the names
    // that alerts read in the second pass.
    const file = readRules(doc);
    own?.add(file.rules);
    file.rules.forEach((r, ordinal) => read.push({ ...r, doc, ordinal }));
    for (const { pointer, ...problem } of file.problems) problems.push({ problem, doc, pointer });
  }
  const index = recordings ?? own!;
  const rules = read.map((r): IndexedRule => {
    const query = r.query;
    const needsResolution = query !== null && query.metrics.some((m) => index.has(m));
    return {
      rule: { ...r.rule, query: needsResolution ? analyzePromQL(r.rule.expr!, index.lookup) : query },
      doc: r.doc,
      pointer: r.pointer,
      ordinal: r.ordinal,
      labelPointers: r.labelPointers,
    };
  });
  return { rules, problems, recorded: index.names() };
}

/** The recording rules of one name, indexed by the values of the labels they set. */
class CandidateIndex {
  private readonly byLabel = new Map<string, { byValue: Map<string, number[]>; lacking: number[] }>();

  constructor(private readonly labels: ReadonlyArray<Record<string, string>>) {}

  /** Candidates an `=` matcher leaves (those with that value, or without the label), in order. */
  narrow(matchers: readonly Matcher[]): number[] {
    // Compare sizes first and build only the narrowest list: a label most rules share (`sloth_slo`)
    // would otherwise be copied for every lookup.
    let best: { matching: number[]; lacking: number[] } | null = null;
    for (const m of matchers) {
      if (m.op !== "=" || m.label === "__name__") continue;
      const entry = this.entry(m.label);
      const matching = entry.byValue.get(m.value) ?? [];
      if (best === null || matching.length + entry.lacking.length < best.matching.length + best.lacking.length) {
        best = { matching, lacking: entry.lacking };
      }
    }
    if (best === null) return this.labels.map((_, i) => i);
    return best.lacking.length === 0 ? best.matching : [...best.matching, ...best.lacking].sort((a, b) => a - b);
  }

  private entry(label: string) {
    let entry = this.byLabel.get(label);
    if (!entry) {
      entry = { byValue: new Map(), lacking: [] };
      this.labels.forEach((labels, i) => {
        if (!Object.hasOwn(labels, label)) entry!.lacking.push(i);
        else {
          const list = entry!.byValue.get(labels[label]!) ?? [];
          list.push(i);
          entry!.byValue.set(labels[label]!, list);
        }
      });
      this.byLabel.set(label, entry);
    }
    return entry;
  }
}

/** Whether series a recording rule writes with `labels` can satisfy the matcher (labels it does not set come from its input). */
function labelCanMatch(labels: Record<string, string>, matcher: Matcher): boolean {
  if (matcher.label === "__name__" || !Object.hasOwn(labels, matcher.label)) return true;
  const compiled = compileMatcher(matcher);
  // A regex JavaScript cannot read rules nothing out.
  return compiled === null || labelMatches(compiled, labels[matcher.label]!);
}
