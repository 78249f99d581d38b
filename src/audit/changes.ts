// What changed between two attestations of the same repository (`report --previous`): models added
// or removed, findings fixed or new, waivers added, expired, renewed or removed, and the result.
// Pure; the caller has verified both and refused a pair from different repositories.
import type { AttestedFinding, AttestedResult, AttestedWaiver, Statement } from "../attest/index.js";
import { compareFindings, compareStrings } from "../types.js";
import type { Verification } from "./document.js";

export interface ChangedFinding {
  rule: string;
  severity: AttestedFinding["severity"];
  status: AttestedFinding["status"];
  location: string;
  message: string;
  models: string[];
}

export interface ChangedWaiver {
  rule: string | null;
  /** What it selects, as one line: `model churn-predictor, file a.yaml, pointer /x`. */
  selects: string;
  location: string;
  owner: string | null;
  ticket: string | null;
  /** The previous expiry, for a renewed waiver. */
  expiresBefore: string | null;
  expires: string | null;
}

export interface AttestationChanges {
  previous: {
    timeEvaluated: string;
    commit: string | null;
    result: AttestedResult;
    verification: Verification;
  };
  /** Neither statement names its repository, so that they are of the same one is unchecked. */
  repositoryUnknown: boolean;
  modelsAdded: string[];
  modelsRemoved: string[];
  /** Models in both whose result changed. */
  resultsChanged: Array<{ name: string; before: AttestedResult; after: AttestedResult }>;
  findingsFixed: ChangedFinding[];
  findingsNew: ChangedFinding[];
  waiversAdded: ChangedWaiver[];
  waiversExpired: ChangedWaiver[];
  waiversRenewed: ChangedWaiver[];
  waiversRemoved: ChangedWaiver[];
}

/** The changes from `previous` to `current`. */
export function attestationChanges(previous: Statement, current: Statement, previousVerification: Verification): AttestationChanges {
  const before = previous.predicate;
  const after = current.predicate;
  const beforeModels = new Map(before.models.map((m) => [m.name, m]));
  const afterModels = new Set(after.models.map((m) => m.name));

  const beforeFindings = findingsByIdentity(previous);
  const afterFindings = findingsByIdentity(current);
  const onlyIn = (a: Map<string, AttestedFinding>, b: Map<string, AttestedFinding>) => [...a].filter(([key]) => !b.has(key)).map(([, f]) => f);
  // A fingerprint includes the model a finding is about, so a finding in a file that became shared
  // (or stopped being) changes it: the same rule, place and message on both sides is the same finding.
  const fixed = onlyIn(beforeFindings, afterFindings);
  const added = onlyIn(afterFindings, beforeFindings);
  const fixedPlaces = new Set(fixed.map(findingPlace));
  const addedPlaces = new Set(added.map(findingPlace));

  const beforeWaivers = waiversByIdentity(previous);
  const afterWaivers = waiversByIdentity(current);
  const waiversAdded: ChangedWaiver[] = [];
  const waiversExpired: ChangedWaiver[] = [];
  const waiversRenewed: ChangedWaiver[] = [];
  for (const [key, { waiver, expired }] of afterWaivers) {
    const earlier = beforeWaivers.get(key);
    if (expired) {
      if (!earlier?.expired) waiversExpired.push(changedWaiver(waiver, earlier?.waiver.expires ?? null));
    } else if (!earlier) {
      waiversAdded.push(changedWaiver(waiver, null));
    } else if (laterExpiry(waiver.expires, earlier.waiver.expires)) {
      waiversRenewed.push(changedWaiver(waiver, earlier.waiver.expires));
    }
  }
  const waiversRemoved = [...beforeWaivers].filter(([key]) => !afterWaivers.has(key)).map(([, { waiver }]) => changedWaiver(waiver, null));

  return {
    previous: { timeEvaluated: before.timeEvaluated, commit: before.source.commit, result: before.result, verification: previousVerification },
    repositoryUnknown: before.repository === null && after.repository === null,
    modelsAdded: [...afterModels].filter((name) => !beforeModels.has(name)).sort(compareStrings),
    modelsRemoved: [...beforeModels.keys()].filter((name) => !afterModels.has(name)).sort(compareStrings),
    resultsChanged: after.models
      .filter((m) => beforeModels.has(m.name) && beforeModels.get(m.name)!.result !== m.result)
      .map((m) => ({ name: m.name, before: beforeModels.get(m.name)!.result, after: m.result })),
    findingsFixed: fixed.filter((f) => !addedPlaces.has(findingPlace(f))).sort(compareByPlace).map(changedFinding),
    findingsNew: added.filter((f) => !fixedPlaces.has(findingPlace(f))).sort(compareByPlace).map(changedFinding),
    waiversAdded,
    waiversExpired,
    waiversRenewed,
    waiversRemoved,
  };
}

/**
 * A finding is the same finding in both runs when its fingerprint is (rule, file, pointer, the model
 * it is about and the policy's key, without its line: moving a rule down a file does not make a new
 * finding); a finding without one is matched by rule, file and pointer.
 */
export function findingIdentity(finding: AttestedFinding): string {
  return finding.fingerprint !== null ? `fp:${finding.fingerprint}` : `at:${finding.rule}\0${finding.file}\0${finding.pointer}`;
}

/** A waiver is the same waiver in both runs when it waives the same rule for the same selection; its line and expiry may change. */
export function waiverIdentity(waiver: AttestedWaiver): string {
  const s = waiver.selector;
  return JSON.stringify([waiver.source, waiver.rule, s.model, s.file ?? (waiver.source === "inline" ? waiver.file : null), s.pointer, waiver.source === "inline" ? s.line : null]);
}

function findingPlace(f: AttestedFinding): string {
  return `${f.rule}\0${f.file}\0${f.pointer}\0${f.message}`;
}

function findingsByIdentity(statement: Statement): Map<string, AttestedFinding> {
  const all = [...statement.predicate.models.flatMap((m) => m.findings), ...statement.predicate.unownedFindings];
  return new Map(all.map((f) => [findingIdentity(f), f]));
}

function waiversByIdentity(statement: Statement): Map<string, { waiver: AttestedWaiver; expired: boolean }> {
  const { applied, expired } = statement.predicate.waivers;
  const byIdentity = new Map<string, { waiver: AttestedWaiver; expired: boolean }>();
  for (const waiver of applied) byIdentity.set(waiverIdentity(waiver), { waiver, expired: false });
  for (const waiver of expired) byIdentity.set(waiverIdentity(waiver), { waiver, expired: true });
  return byIdentity;
}

function compareByPlace(a: AttestedFinding, b: AttestedFinding): number {
  return compareFindings({ ...a, model: null }, { ...b, model: null });
}

function changedFinding(f: AttestedFinding): ChangedFinding {
  return { rule: f.rule, severity: f.severity, status: f.status, location: `${f.file}:${f.line}:${f.column}`, message: f.message, models: f.models };
}

function changedWaiver(w: AttestedWaiver, expiresBefore: string | null): ChangedWaiver {
  const s = w.selector;
  const selects = [s.model !== null ? `model ${s.model}` : null, s.file !== null ? `file ${s.file}` : null, s.pointer !== null ? `pointer ${s.pointer}` : null, s.line !== null ? `line ${s.line}` : null]
    .filter((part) => part !== null)
    .join(", ");
  return { rule: w.rule, selects: selects || "everything", location: `${w.file}:${w.line}`, owner: w.owner, ticket: w.ticket, expiresBefore, expires: w.expires };
}

/** No expiry is later than any date; dates are `YYYY-MM-DD`, which sort as text. */
function laterExpiry(after: string | null, before: string | null): boolean {
  if (after === before) return false;
  if (after === null) return true;
  return before !== null && after > before;
}
