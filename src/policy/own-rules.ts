// obsgate's own rule families, raised by the TypeScript stages rather than by Rego: problems in the
// input files (INP). They are errors and cannot be waived: a file obsgate could not read is a file
// whose compliance nobody knows.
import type { RuleMetadata } from "../types.js";

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
];
