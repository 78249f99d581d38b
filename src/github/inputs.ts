// The Action's inputs (action.yml), read through a getter so that parsing stays pure: the runner
// passes each input as INPUT_<NAME> (upper-cased, dashes kept), an empty string when unset.
import type { FailOn } from "../config/index.js";
import { DiagnosticError, diagnostic, sortDiagnostics } from "../diagnostics.js";
import type { Diagnostic } from "../types.js";

/** Where a diagnostic about an input points: the step's `with:` block. */
export const ACTION_INPUTS = "<action-inputs>";

export interface ActionInputs {
  /** PATHs to check, relative to `workingDirectory` (one per line; default `.`). */
  paths: string[];
  /** Relative to GITHUB_WORKSPACE; where obsgate runs (finds `.obsgate.yaml`, resolves PATHs). */
  workingDirectory: string;
  config: string | undefined;
  /** Users' policy sets (one per line). */
  policies: string[];
  failOn: FailOn;
  token: string;
  comment: boolean;
  checkRun: boolean;
  annotations: boolean;
  /** Relative to GITHUB_WORKSPACE. */
  sarifFile: string;
  sarifCategory: string | undefined;
  /** Null: the default, which is true on pull requests. */
  onlyChanged: boolean | null;
  /** The private key's text (a secret), or undefined: no attestation. */
  signKey: string | undefined;
  /** Relative to GITHUB_WORKSPACE. */
  attestationFile: string;
}

const FAIL_ON: readonly FailOn[] = ["error", "warning", "info", "never"];

/** action.yml's defaults, for inputs a runner passes empty (a step run outside action.yml's defaults, or `with: x: ''`). */
export const INPUT_DEFAULTS = {
  paths: ".",
  "working-directory": ".",
  "fail-on": "error",
  comment: "true",
  "check-run": "true",
  annotations: "true",
  "sarif-file": "obsgate.sarif",
  "attestation-file": "obsgate.attestation.dsse.json",
} as const;

/** The inputs, or every problem with them at once as diagnostics. */
export function parseInputs(get: (name: string) => string): ActionInputs {
  const problems: Diagnostic[] = [];
  const text = (name: string): string => {
    const value = get(name).trim();
    return value === "" ? ((INPUT_DEFAULTS as Record<string, string>)[name] ?? "") : value;
  };
  const optional = (name: string) => text(name) || undefined;
  const lines = (name: string) => text(name).split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
  const bool = (name: string): boolean | null => {
    const value = text(name);
    if (value === "") return null;
    // The YAML 1.2 core schema's booleans, as @actions/core's getBooleanInput reads them.
    if (["true", "True", "TRUE"].includes(value)) return true;
    if (["false", "False", "FALSE"].includes(value)) return false;
    problems.push(diagnostic("usage_error", `input ${name}: "${value}" is not a boolean; use true or false`, ACTION_INPUTS));
    return null;
  };
  const failOn = text("fail-on");
  if (!FAIL_ON.includes(failOn as FailOn)) {
    problems.push(diagnostic("usage_error", `input fail-on: "${failOn}" is not one of ${FAIL_ON.join(", ")}`, ACTION_INPUTS));
  }
  const inputs: ActionInputs = {
    paths: lines("paths"),
    workingDirectory: text("working-directory"),
    config: optional("config"),
    policies: lines("policy"),
    failOn: failOn as FailOn,
    token: text("token"),
    comment: bool("comment") ?? true,
    checkRun: bool("check-run") ?? true,
    annotations: bool("annotations") ?? true,
    sarifFile: text("sarif-file"),
    sarifCategory: optional("sarif-category"),
    onlyChanged: bool("only-changed"),
    signKey: get("sign-key").trim() === "" ? undefined : get("sign-key"),
    attestationFile: text("attestation-file"),
  };
  if (problems.length > 0) throw new DiagnosticError(sortDiagnostics(problems));
  return inputs;
}
