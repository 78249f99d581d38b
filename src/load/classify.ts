// What a document is, judged by its content (`apiVersion`/`kind`, a top-level `groups:` list),
// never by its file name: a rule file may be called anything.
import type { DocumentKind } from "../types.js";
import { backendKind } from "./backend-kind.js";
import { describeType, isObject } from "./values.js";

export { describeType, isObject } from "./values.js";

export const MANIFEST_API_VERSION = "obsgate.dev/v1";
export const MANIFEST_KIND = "ModelObservability";
const OBSGATE_API_GROUP = /^obsgate\.dev\//;

export type Classification =
  | { kind: DocumentKind }
  /** Claims to be ours but names a kind obsgate does not know: a typo to report, not to skip. */
  | { unknownObsgateKind: string }
  | { skip: string };

export function classifyDocument(value: unknown): Classification {
  if (!isObject(value)) return { skip: `not a mapping (${describeType(value)})` };
  const apiVersion = typeof value.apiVersion === "string" ? value.apiVersion : null;
  const kind = typeof value.kind === "string" ? value.kind : null;
  if (apiVersion !== null && OBSGATE_API_GROUP.test(apiVersion)) {
    if (apiVersion === MANIFEST_API_VERSION && kind === MANIFEST_KIND) return { kind: "model-manifest" };
    return { unknownObsgateKind: `${apiVersion} ${kind ?? "(no kind)"}` };
  }
  if (apiVersion?.startsWith("monitoring.coreos.com/") && kind === "PrometheusRule") {
    return { kind: "prometheus-rule-resource" };
  }
  if (apiVersion === null && kind === null && Array.isArray(value.groups)) return { kind: "prometheus-rules" };
  const backend = backendKind(value);
  if (backend) return { kind: backend };
  if (apiVersion !== null || kind !== null) return { skip: `not a kind obsgate reads (${apiVersion ?? "?"} ${kind ?? "?"})` };
  return { skip: "not a kind obsgate reads (no apiVersion/kind, no groups)" };
}
