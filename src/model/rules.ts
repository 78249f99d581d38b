// A rule document → its rules, each with the JSON pointer it sits at, and the structural
// problems (ALR-001) that keep a group or rule from being read as Prometheus would read it.
// Reads Prometheus rule files (`groups:`) and PrometheusRule resources (`spec.groups`).
//
// A broken rule is still returned when it is a mapping, with nulls where it cannot be read, so
// that one bad rule does not hide the findings of the rest of the file. Never throws.
import { describeType, escapePointerToken, isObject, type LoadedDocument } from "../load/index.js";
import { durationSeconds } from "./duration.js";
import type { ModelInputRule, RuleFileProblem } from "./model-input.js";

/** A rule as its file states it: everything but the parsed query and the model that owns it. */
export type RuleAsWritten = Omit<ModelInputRule, "query" | "ownedBy" | "owners">;

export interface RuleFileRead {
  /**
   * `pointer`: the rule in the document as written, e.g. /groups/0/rules/3 or /spec/groups/0/rules/3;
   * `labelPointers`: for each label the rule inherits from its group, where the group sets it.
   */
  rules: Array<{ rule: RuleAsWritten; pointer: string; labelPointers: Record<string, string> }>;
  problems: Array<RuleFileProblem & { pointer: string }>;
}

/** Keys Prometheus refuses in a recording rule (rulefmt: "invalid field '…' in recording rule"). */
const ALERT_ONLY = ["for", "keep_firing_for", "annotations"] as const;

export function readRuleFile(doc: LoadedDocument): RuleFileRead {
  const reader = new RuleFileReader(doc.file);
  try {
    reader.document(doc);
  } catch (error) {
    // Defensive: a reader bug must not take the run down; it becomes a problem on the document.
    reader.problem("", `cannot read the rule file (${error instanceof Error ? error.message : String(error)})`);
  }
  return { rules: reader.rules, problems: reader.problems };
}

class RuleFileReader {
  readonly rules: RuleFileRead["rules"] = [];
  readonly problems: RuleFileRead["problems"] = [];

  constructor(private readonly file: string) {}

  problem(pointer: string, message: string): void {
    this.problems.push({ file: this.file, message, pointer });
  }

  document(doc: LoadedDocument): void {
    const value = doc.value;
    if (!isObject(value)) {
      this.problem("", `a rule file must be a mapping with \`groups:\`, not ${describeType(value)}`);
      return;
    }
    if (doc.kind === "prometheus-rule-resource") {
      if (value.spec === undefined || value.spec === null) {
        this.problem("", "PrometheusRule has no `spec`: list the rule groups under `spec.groups`");
        return;
      }
      if (!isObject(value.spec)) {
        this.problem("/spec", `\`spec\` of a PrometheusRule is ${describeType(value.spec)}, not a mapping: list the rule groups under \`spec.groups\``);
        return;
      }
      if (value.spec.groups === undefined || value.spec.groups === null) {
        this.problem("/spec", "PrometheusRule has no `spec.groups`: list the rule groups under `spec.groups`");
        return;
      }
      this.groups(value.spec.groups, "/spec/groups");
      return;
    }
    if (doc.kind === "prometheus-rules") {
      this.groups(value.groups, "/groups");
      return;
    }
    this.problem("", `not a rule file (${doc.kind}): obsgate reads rules from \`groups:\` files and PrometheusRule resources`);
  }

  private groups(groups: unknown, pointer: string): void {
    if (!Array.isArray(groups)) {
      this.problem(pointer, `\`groups\` is ${describeType(groups)}, not a list: write each group as a list item with \`name:\` and \`rules:\``);
      return;
    }
    const seen = new Map<string, string>();
    groups.forEach((group, i) => this.group(group, `${pointer}/${i}`, seen));
  }

  private group(group: unknown, pointer: string, seen: Map<string, string>): void {
    if (!isObject(group)) {
      this.problem(pointer, `a rule group is ${describeType(group)}, not a mapping: write it as \`name:\` and \`rules:\``);
      return;
    }
    const name = this.name(group, "name", pointer, "group");
    if (name === null) {
      // A name that is there but not text has its own problem already.
      if (isBlank(group.name)) this.problem(pointer, "rule group has no `name`: give every group a name, unique in its file");
    } else if (seen.has(name)) {
      this.problem(`${pointer}/name`,
        `group name "${name}" is repeated in this file (first at ${seen.get(name)}): give each group a unique name; Prometheus refuses the file`);
    } else {
      seen.set(name, pointer);
    }
    const groupLabels = this.stringMap(group.labels, `${pointer}/labels`, "labels", name === null ? "the group" : `group "${name}"`);
    const rules = group.rules;
    // An empty or absent `rules:` is an empty group, which Prometheus accepts.
    if (rules === undefined || rules === null) return;
    if (!Array.isArray(rules)) {
      this.problem(`${pointer}/rules`,
        `\`rules\` of ${name === null ? "the group" : `group "${name}"`} is ${describeType(rules)}, not a list: write each rule as a list item`);
      return;
    }
    rules.forEach((rule, i) => this.rule(rule, `${pointer}/rules/${i}`, name, groupLabels));
  }

  private rule(rule: unknown, pointer: string, group: string | null, groupLabels: Record<string, string>): void {
    if (!isObject(rule)) {
      this.problem(pointer,
        `a rule is ${describeType(rule)}, not a mapping: write it with \`alert:\` or \`record:\`, and \`expr:\``);
      return;
    }
    const alert = this.name(rule, "alert", pointer, "rule");
    const record = this.name(rule, "record", pointer, "rule");
    const label = alert !== null ? `alert "${alert}"` : record !== null ? `recording rule "${record}"` : "rule";
    if (alert !== null && record !== null) {
      this.problem(pointer,
        `rule has both \`alert\` ("${alert}") and \`record\` ("${record}"): keep \`alert\` for an alerting rule or \`record\` for a recording rule`);
    } else if (isBlank(rule.alert) && isBlank(rule.record)) {
      this.problem(pointer, "rule has neither `alert` nor `record`: name it with `alert:` (alerting rule) or `record:` (recording rule)");
    }
    if (record !== null && alert === null) {
      for (const key of ALERT_ONLY) {
        if (rule[key] !== undefined && rule[key] !== null) {
          this.problem(`${pointer}/${key}`, `${label} sets \`${key}\`, which only alerting rules have: remove it, or make the rule an \`alert\``);
        }
      }
    }
    const own = this.stringMap(rule.labels, `${pointer}/labels`, "labels", label);
    const labels = { ...groupLabels, ...own };
    const groupPointer = pointer.replace(/\/rules\/\d+$/, "");
    const labelPointers = Object.fromEntries(
      Object.keys(groupLabels).filter((name) => !Object.hasOwn(own, name)).map((name) => [name, `${groupPointer}/labels/${escapePointerToken(name)}`]),
    );
    this.rules.push({
      pointer,
      labelPointers,
      rule: {
        file: this.file,
        group,
        alert,
        record,
        type: alert !== null && record === null ? "alert" : record !== null && alert === null ? "record" : null,
        expr: this.expr(rule.expr, pointer, label),
        forSeconds: this.forSeconds(rule.for, `${pointer}/for`, label),
        labels,
        annotations: this.stringMap(rule.annotations, `${pointer}/annotations`, "annotations", label),
      },
    });
  }

  /** A name (`alert`, `record`, group `name`): scalars read as text, as Prometheus's YAML reads them. */
  private name(node: Record<string, unknown>, key: string, pointer: string, what: string): string | null {
    const value = node[key];
    if (value === undefined || value === null) return null;
    const text = scalarText(value);
    if (text === null) {
      this.problem(`${pointer}/${escapePointerToken(key)}`, `\`${key}\` of a ${what} is ${describeType(value)}, not a string: write the name as plain text`);
      return null;
    }
    return text === "" ? null : text;
  }

  private expr(value: unknown, pointer: string, label: string): string | null {
    if (value === undefined || value === null || value === "") {
      this.problem(pointer, `${label} has no \`expr\`: add the PromQL expression it evaluates under \`expr:\``);
      return null;
    }
    const text = scalarText(value);
    if (text === null) {
      this.problem(`${pointer}/expr`, `\`expr\` of ${label} is ${describeType(value)}, not a string: write the PromQL expression as text`);
    }
    return text;
  }

  private forSeconds(value: unknown, pointer: string, label: string): number {
    if (value === undefined || value === null) return 0;
    const text = scalarText(value);
    // Prometheus's duration parser accepts a bare `0`; everything else needs a unit.
    const seconds = text === "0" ? 0 : text === null ? null : durationSeconds(text);
    if (seconds === null) {
      const shown = text === null ? describeType(value) : `"${text}"`;
      this.problem(pointer, `\`for\` of ${label} is ${shown}, not a duration: write it like 5m, 1h30m or 0 (units ms, s, m, h, d, w, y)`);
      return 0;
    }
    return seconds;
  }

  /** `labels`/`annotations`: a mapping of strings; numbers and booleans read as their text. */
  private stringMap(value: unknown, pointer: string, key: string, owner: string): Record<string, string> {
    const out: Record<string, string> = {};
    if (value === undefined || value === null) return out;
    if (!isObject(value)) {
      this.problem(pointer, `\`${key}\` of ${owner} is ${describeType(value)}, not a mapping: write them as \`name: value\` pairs`);
      return out;
    }
    for (const [name, item] of Object.entries(value)) {
      // An empty value reads as "" in Prometheus, which is the same as no label.
      const text = item === null ? "" : scalarText(item);
      if (text === null) {
        this.problem(`${pointer}/${escapePointerToken(name)}`,
          `${key === "labels" ? "label" : "annotation"} "${name}" of ${owner} is ${describeType(item)}, not a string: give it a plain text value`);
        continue;
      }
      Object.defineProperty(out, name, { value: text, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
}

/** The text of a YAML scalar as Prometheus reads it into a string field; null for mappings and lists. */
function scalarText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return null;
}

/** Absent, empty, or empty text: what Prometheus reads as "not set". */
function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}
