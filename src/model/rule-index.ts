// Every alert and recording rule of every loaded rule file, read once for the whole fleet, with
// each expression analysed. Recording rules are resolved by name across files, so an alert on
// `slo:sli_error:ratio_rate5m` is known to read the SLI's own metrics over 5 minutes.
import type { LoadedDocument } from "../load/index.js";
import { compileMatcher, labelMatches } from "./label-match.js";
import type { ModelInputRule, PromQuery, RuleFileProblem } from "./model-input.js";
import { analyzePromQL, type Matcher } from "./promql.js";
import { readRuleFile } from "./rules.js";

export interface IndexedRule {
  rule: Omit<ModelInputRule, "ownedBy" | "owners">;
  doc: LoadedDocument;
  /** Pointer of the rule in its document. */
  pointer: string;
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

export function indexRules(documents: readonly LoadedDocument[]): RuleIndex {
  const read: Array<{ rule: Omit<ModelInputRule, "query" | "ownedBy" | "owners">; doc: LoadedDocument; pointer: string; labelPointers: Record<string, string> }> = [];
  const problems: IndexedRuleProblem[] = [];
  for (const doc of documents) {
    if (doc.kind !== "prometheus-rules" && doc.kind !== "prometheus-rule-resource") continue;
    const file = readRuleFile(doc);
    for (const { rule, pointer, labelPointers } of file.rules) read.push({ rule, doc, pointer, labelPointers });
    for (const { pointer, ...problem } of file.problems) problems.push({ problem, doc, pointer });
  }
  // First pass: each expression on its own; the recording rules' results then resolve the names
  // that alerts read in the second pass.
  const firstPass = read.map((r) => (r.rule.expr === null ? null : analyzePromQL(r.rule.expr)));
  const recordings = new Map<string, Array<{ labels: Record<string, string>; query: PromQuery }>>();
  read.forEach((r, i) => {
    const query = firstPass[i];
    if (r.rule.record === null || !query) return;
    const list = recordings.get(r.rule.record) ?? [];
    list.push({ labels: r.rule.labels, query });
    recordings.set(r.rule.record, list);
  });
  // Several rules may record one name (Sloth does, once per SLO, told apart by `sloth_id`): an
  // alert's selector resolves to the ones whose labels its matchers can match. In a fleet of a
  // thousand Sloth SLOs a name has a thousand candidates, so `=` matchers narrow through an index.
  const narrowers = new Map<string, CandidateIndex>();
  const lookup = (name: string, matchers: readonly Matcher[]) => {
    const candidates = recordings.get(name);
    if (!candidates) return [];
    let index = narrowers.get(name);
    if (!index) narrowers.set(name, (index = new CandidateIndex(candidates.map((c) => c.labels))));
    return index
      .narrow(matchers)
      .filter((i) => matchers.every((m) => labelCanMatch(candidates[i]!.labels, m)))
      .map((i) => candidates[i]!.query);
  };
  const rules = read.map((r, i): IndexedRule => {
    const query = firstPass[i] ?? null;
    const needsResolution = query !== null && query.metrics.some((m) => recordings.has(m));
    return {
      rule: { ...r.rule, query: needsResolution ? analyzePromQL(r.rule.expr!, lookup) : query },
      doc: r.doc,
      pointer: r.pointer,
      labelPointers: r.labelPointers,
    };
  });
  return { rules, problems, recorded: [...recordings.keys()].sort() };
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
