// Stage 4, policy: ModelInputs → findings. Evaluates every model through each loaded policy set,
// maps each finding's ModelInput pointer back to file:line:column through the model's origins,
// merges a finding that several models share into one, and turns INP problems into findings.
import { createHash } from "node:crypto";
import { documentPointer, type LoadedDocument } from "../load/index.js";
import { fleetData, type AssembledModel, type FleetIndex } from "../model/index.js";
import { locate } from "../schema/index.js";
import { compareFindings, SEVERITY_RANK, type Finding, type InputProblem, type RuleMetadata, type Severity } from "../types.js";
import { type PolicySet, type RawFinding } from "./engine.js";
import { encodeInput, evaluateEncoded, type EncodedInput } from "./evaluation-pool.js";
import { OWN_RULES } from "./own-rules.js";

export { loadBuiltinPolicySet, loadPolicySet, loadPolicyModule, builtinPolicyPath, type PolicySet } from "./engine.js";
export { OWN_RULES } from "./own-rules.js";
export { loadUserPolicySet, ruleIdClashes } from "./user-policy.js";
export { mergeData, readDataFile, type DataDocument } from "./data.js";
export { EvaluationPool, evaluateEncoded, type EncodedInput } from "./evaluation-pool.js";

/** Every rule's metadata, own families first, then each policy set's (later sets cannot redefine an id). */
export function ruleCatalogue(sets: readonly PolicySet[]): Map<string, RuleMetadata> {
  const catalogue = new Map<string, RuleMetadata>(OWN_RULES.map((rule) => [rule.id, rule]));
  for (const set of sets) for (const [id, rule] of set.metadata) if (!catalogue.has(id)) catalogue.set(id, rule);
  return catalogue;
}

/** Stable across unrelated edits: rule, file, pointer, model, and the finding's key when a rule gives one. */
export function fingerprint(rule: string, file: string, pointer: string, model: string | null, key: string | null = null): string {
  const parts = [rule, file, pointer, model ?? ""];
  if (key !== null) parts.push(key);
  return createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 32);
}

/** Locates a ModelInput pointer in the file it came from: the nearest ancestor with an origin. */
export function locateInputPointer(
  model: AssembledModel,
  pointer: string,
  documentOf: (file: string, index: number) => LoadedDocument | undefined,
): { file: string; pointer: string; line: number; column: number } {
  const tokens = pointer === "" ? [] : pointer.slice(1).split("/");
  for (let n = tokens.length; n >= 0; n--) {
    const head = n === 0 ? "" : `/${tokens.slice(0, n).join("/")}`;
    const origin = model.origins.get(head);
    if (!origin) continue;
    const filePointer = origin.pointer + (n < tokens.length ? `/${tokens.slice(n).join("/")}` : "");
    const doc = documentOf(origin.file, origin.document);
    if (!doc) break;
    return {
      file: origin.file,
      pointer: documentPointer(doc.multiDocument, doc.index, filePointer),
      ...locate(doc.sourceMap, filePointer),
    };
  }
  const root = model.origins.get("");
  const doc = model.manifest ?? (root ? documentOf(root.file, root.document) : undefined);
  if (!doc) throw new Error(`no origin for ${pointer} in the input of ${model.input.model?.name ?? "unowned rule files"}`);
  return { file: doc.file, pointer: documentPointer(doc.multiDocument, doc.index, ""), ...doc.start };
}

export interface Evaluation {
  findings: Finding[];
  rules: Map<string, RuleMetadata>;
}

/** A tier's word on one rule (`.obsgate.yaml`): switched off, or every finding at another severity. */
export interface RuleSwitch {
  enabled: boolean;
  severity: Severity | null;
}

/** The rule switches that apply to a model: those of its tier. */
export type SwitchesFor = (model: AssembledModel) => Readonly<Record<string, RuleSwitch>>;

/** Hands each policy set the fleet index, once per run, beside the set's own data. */
export function prepareSets(sets: readonly PolicySet[], fleet: FleetIndex): void {
  // The fleet index goes to each policy once, as `data.fleet`, beside the set's own data (a
  // bundle's, the --data files; `fleet` is reserved for obsgate there); each model is then one `evaluate`.
  const fleetDocument = fleetData(fleet);
  for (const set of sets) set.policy.setData({ ...set.data, ...fleetDocument });
}

/** A model's input, encoded for evaluation here or in a worker (`evaluateEncoded`). */
export function encodeModel(model: AssembledModel): EncodedInput {
  return encodeInput(model.input, model.input.model?.name ?? "(rule files no model owns)");
}

/** One model's raw findings from every set, in the order of the sets. */
export function evaluateModel(sets: readonly PolicySet[], model: AssembledModel): RawFinding[] {
  return evaluateEncoded(sets, encodeModel(model));
}

/** Where a model's documents are found by file and index while its findings are located. */
export type DocumentOf = (file: string, index: number) => LoadedDocument | undefined;

export function documentLookup(documents: readonly LoadedDocument[]): DocumentOf {
  const byFile = new Map<string, LoadedDocument>(documents.map((d) => [`${d.file}\0${d.index}`, d]));
  return (file, index) => byFile.get(`${file}\0${index}`);
}

/**
 * Findings gathered model by model (in the fleet's order), each located as it comes, so a model's
 * documents can be let go once its findings are in; one in a shared file is reported once.
 */
export class FindingMerger {
  // Findings keyed by where they are and what they say, so one in a shared file is reported once.
  private readonly merged = new Map<string, Omit<Finding, "fingerprint" | "model"> & { models: string[]; key: string | null }>();

  constructor(
    readonly rules: Map<string, RuleMetadata>,
    private readonly switchesFor: SwitchesFor = () => ({}),
  ) {}

  add(model: AssembledModel, raws: readonly RawFinding[], documentOf: DocumentOf): void {
    const name = model.input.model?.name ?? null;
    // Switches apply per model, before merging: a shared file's finding lists only the models whose
    // tier keeps the rule, at the most severe grade among them.
    const switches = this.switchesFor(model);
    for (const raw of raws) {
      const rule = this.rules.get(raw.rule)!;
      const change = switches[raw.rule];
      if (change && !change.enabled) continue;
      const severity = change?.severity ?? raw.severity ?? rule.severity;
      const at = locateInputPointer(model, raw.pointer, documentOf);
      const key = [raw.rule, at.file, at.pointer, raw.message].join("\0");
      const existing = this.merged.get(key);
      if (existing) {
        if (name !== null && !existing.models.includes(name)) existing.models.push(name);
        if (SEVERITY_RANK[severity] > SEVERITY_RANK[existing.severity]) existing.severity = severity;
        continue;
      }
      this.merged.set(key, {
        rule: raw.rule,
        severity,
        status: "open",
        models: name === null ? [] : [name],
        message: raw.message,
        ...at,
        remediation: rule.remediation,
        docs: rule.docs,
        key: raw.key,
      });
    }
  }

  /** Every finding, with the input problems', fingerprinted and sorted. */
  finish(problems: readonly InputProblem[]): Evaluation {
    const rules = this.rules;
    const identities = [...this.merged.values()].map(({ key, ...f }) => {
      const models = [...f.models].sort();
      // One model: it is about that model; several (a shared file) or none (an unowned rule file): null.
      const model = models.length === 1 ? models[0]! : null;
      return { finding: { ...f, model, models }, key };
    });
    // A policy that reports two findings at one pointer without telling them apart by `key` would
    // give them one fingerprint: their messages tell them apart instead.
    const count = new Map<string, number>();
    const identity = ({ finding: f, key }: (typeof identities)[number]) => fingerprint(f.rule, f.file, f.pointer, f.model, key);
    for (const entry of identities) count.set(identity(entry), (count.get(identity(entry)) ?? 0) + 1);
    const findings: Finding[] = identities.map((entry) => {
      const clash = count.get(identity(entry))! > 1;
      const key = clash ? [entry.key ?? "", entry.finding.message].join("\0") : entry.key;
      const f = entry.finding;
      return { ...f, fingerprint: fingerprint(f.rule, f.file, f.pointer, f.model, key) };
    });
    for (const problem of problems) {
      const rule = rules.get(problem.rule)!;
      findings.push({
        rule: problem.rule,
        severity: rule.severity,
        status: "open",
        model: problem.model,
        models: problem.model ? [problem.model] : [],
        message: problem.message,
        file: problem.file,
        line: problem.line,
        column: problem.column,
        pointer: problem.pointer,
        remediation: problem.remediation,
        docs: rule.docs,
        fingerprint: fingerprint(problem.rule, problem.file, problem.pointer, problem.model),
      });
    }
    findings.sort(compareFindings);
    return { findings, rules };
  }
}

/** Every model at once, its documents all at hand: the same steps a check takes a batch at a time. */
export function evaluateModels(
  sets: readonly PolicySet[],
  models: readonly AssembledModel[],
  documents: readonly LoadedDocument[],
  problems: readonly InputProblem[],
  fleet: FleetIndex = { models: [], metrics: [], series: [], recorded: [] },
  switchesFor: SwitchesFor = () => ({}),
): Evaluation {
  prepareSets(sets, fleet);
  const merger = new FindingMerger(ruleCatalogue(sets), switchesFor);
  const documentOf = documentLookup(documents);
  for (const model of models) merger.add(model, evaluateModel(sets, model), documentOf);
  return merger.finish(problems);
}
