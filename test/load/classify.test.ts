// classifyDocument: what a document is, by its content only.
import { describe, expect, it } from "vitest";
import { classifyDocument, describeType, isObject } from "../../src/load/classify.js";

describe("classifyDocument", () => {
  it("recognises a model manifest", () => {
    expect(classifyDocument({ apiVersion: "obsgate.dev/v1", kind: "ModelObservability", metadata: {} })).toEqual({
      kind: "model-manifest",
    });
  });

  it("reports an obsgate kind it does not know as a typo, not a skip", () => {
    expect(classifyDocument({ apiVersion: "obsgate.dev/v1", kind: "ModelObservabilty" })).toEqual({
      unknownObsgateKind: "obsgate.dev/v1 ModelObservabilty",
    });
    expect(classifyDocument({ apiVersion: "obsgate.dev/v2", kind: "ModelObservability" })).toEqual({
      unknownObsgateKind: "obsgate.dev/v2 ModelObservability",
    });
    expect(classifyDocument({ apiVersion: "obsgate.dev/v1" })).toEqual({ unknownObsgateKind: "obsgate.dev/v1 (no kind)" });
  });

  it("recognises a PrometheusRule resource of any monitoring.coreos.com version", () => {
    expect(classifyDocument({ apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", spec: { groups: [] } })).toEqual({
      kind: "prometheus-rule-resource",
    });
    expect(classifyDocument({ apiVersion: "monitoring.coreos.com/v1alpha1", kind: "PrometheusRule" })).toEqual({
      kind: "prometheus-rule-resource",
    });
  });

  it("skips other monitoring.coreos.com kinds", () => {
    expect(classifyDocument({ apiVersion: "monitoring.coreos.com/v1", kind: "Prometheus" })).toEqual({
      skip: "not a kind obsgate reads (monitoring.coreos.com/v1 Prometheus)",
    });
  });

  it("recognises a plain Prometheus rule file by its `groups:` list", () => {
    expect(classifyDocument({ groups: [{ name: "g", rules: [] }] })).toEqual({ kind: "prometheus-rules" });
    expect(classifyDocument({ groups: [] })).toEqual({ kind: "prometheus-rules" });
  });

  it("does not take `groups:` that is not a list, or beside a kind, for a rule file", () => {
    expect(classifyDocument({ groups: "x" })).toEqual({ skip: "not a kind obsgate reads (no apiVersion/kind, no groups)" });
    expect(classifyDocument({ kind: "Thing", groups: [] })).toEqual({ skip: "not a kind obsgate reads (? Thing)" });
  });

  it("skips a Deployment with the reason", () => {
    expect(classifyDocument({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" } })).toEqual({
      skip: "not a kind obsgate reads (apps/v1 Deployment)",
    });
  });

  it("skips a mapping with neither apiVersion/kind nor groups", () => {
    expect(classifyDocument({ global: { scrape_interval: "15s" } })).toEqual({
      skip: "not a kind obsgate reads (no apiVersion/kind, no groups)",
    });
    expect(classifyDocument({ apiVersion: "v1" })).toEqual({ skip: "not a kind obsgate reads (v1 ?)" });
  });

  it("ignores non-string apiVersion and kind", () => {
    expect(classifyDocument({ apiVersion: 1, kind: ["ModelObservability"], groups: [] })).toEqual({ kind: "prometheus-rules" });
  });

  it("skips scalar and list documents, naming their type", () => {
    expect(classifyDocument("hello")).toEqual({ skip: "not a mapping (a string)" });
    expect(classifyDocument(42)).toEqual({ skip: "not a mapping (a number)" });
    expect(classifyDocument(true)).toEqual({ skip: "not a mapping (a boolean)" });
    expect(classifyDocument(null)).toEqual({ skip: "not a mapping (null)" });
    expect(classifyDocument([1, 2])).toEqual({ skip: "not a mapping (a list)" });
  });
});

describe("isObject / describeType", () => {
  it("tells mappings from lists and null", () => {
    expect([{}, [], null, "x", 1].map(isObject)).toEqual([true, false, false, false, false]);
    expect([{}, [], null, "x", 1, false].map(describeType)).toEqual([
      "a mapping",
      "a list",
      "null",
      "a string",
      "a number",
      "a boolean",
    ]);
  });
});
