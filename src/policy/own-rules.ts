// obsgate's own rule families, raised by the TypeScript stages rather than by Rego: problems in the
// input files (INP) and problems with waivers (WVR). INP findings are errors and cannot be waived: a
// file obsgate could not read is a file whose compliance nobody knows. WVR findings cannot be waived
// either: a waiver of a waiver problem would let accepted risks outlive their review.
import type { RuleMetadata, Severity } from "../types.js";

const inp = (id: string, title: string, description: string, remediation: string): RuleMetadata => ({
  id,
  title,
  severity: "error",
  description,
  remediation,
  docs: `docs/rules/${id}.md`,
  waivable: false,
  family: "INP",
});

const wvr = (id: string, severity: Severity, title: string, description: string, remediation: string): RuleMetadata => ({
  id,
  title,
  severity,
  description,
  remediation,
  docs: `docs/rules/${id}.md`,
  waivable: false,
  family: "WVR",
});

export const OWN_RULES: readonly RuleMetadata[] = [
  inp("INP-001", "Input file is readable, within limits and parses",
    "A file under the checked paths could not be read, is over a configured limit (size, documents, nesting, alias expansion), is not UTF-8, or is not valid YAML/JSON. Nothing in it was checked.",
    "Fix the file at the reported position, or exclude it in .obsgate.yaml if it is not an input."),
  inp("INP-002", "Document matches its schema",
    "A model manifest (or another document that claims an obsgate kind) breaks its JSON Schema: a required field is missing, a field is unknown or of the wrong type. The model is not evaluated until it is fixed.",
    "Correct the field at the reported position; schemas/model-manifest.v1.schema.json describes every field."),
  inp("INP-003", "Referenced file exists",
    "A manifest names a file (an alert rule file, a backend config) that does not exist, so the checks that need it cannot run.",
    "Correct the path (relative to the manifest's folder) or add the file."),
  wvr("WVR-001", "warning", "Waiver has not expired",
    "A waiver (an entry of the waivers file, or an inline `# obsgate:ignore ... until` comment) is past its last day (UTC). It no longer applies: the findings it covered are open again.",
    "Fix the findings the waiver covered and remove it, or, after a new review, set a new `expires` date within max-waiver-days."),
  wvr("WVR-002", "info", "Waiver matches a finding",
    "A waiver matched no finding of a model or file this run checked: the finding was fixed, or the waiver's rule or selector is wrong.",
    "Remove the waiver, or correct its rule, model, file or pointer to those the report gives the finding."),
  wvr("WVR-003", "error", "Waiver is valid",
    "A waiver that cannot apply: it names a rule that cannot be waived (INP, WVR, or `waivable: false` in the rule's metadata), it expires more than max-waiver-days after the run's day, or it is an inline ignore without a reason, without a known rule, or with an `until` that is not a date. It waives nothing.",
    "Fix what cannot be waived; otherwise give the inline ignore a known rule and a reason (`# obsgate:ignore ALR-006 -- why`), or bring `expires` within max-waiver-days."),
];
