// obsgate over rule files written by other projects (../shared/corpus): `inspect` reads every file
// and every rule, and `check` reports nothing Prometheus itself would reject (no INP, no ALR-001),
// only the quality findings reviewed for the corpus (see the pinned counts below and the notes on
// issue 3: each of these is right by the rule's definition, e.g. Sloth's default `page`/`ticket`-
// style severities, awesome-prometheus-alerts' `for: 0m` and names such as `Cert-managerAbsent`
// or `MysqlTooManyConnections(>80%)`). ALR-008 and ALR-009 find nothing: every alert but the
// Watchdog (`vector(1)`, exempt) compares, and no label is templated.
import { join } from "node:path";
import { expect, it } from "vitest";
import { SHARED_DIR, describeWith } from "../helpers/require.js";
import { runCli } from "../helpers/cli.js";

const corpus = join(SHARED_DIR, "corpus");

interface InspectView {
  files: Array<{ path: string; kind: string; status: string; reason?: string }>;
  rules: Array<{ file: string; line: number; column: number; name: string; type: string; metrics: string[] }>;
}

describeWith(["shared"], "the real-world corpus", () => {
  it("inspect reads every file as a rule file and finds all 816 rules, none invalid", async () => {
    const run = await runCli(["inspect", corpus, "--format", "json"]);
    expect(run.status).toBe(0);
    const view = JSON.parse(run.stdout) as InspectView;
    expect(view.files).toHaveLength(69);
    expect(view.files.filter((f) => f.status !== "evaluated")).toEqual([]);
    expect(new Set(view.files.map((f) => f.kind))).toEqual(new Set(["prometheus-rules", "prometheus-rule-resource"]));
    expect(view.rules).toHaveLength(816);
    expect(view.rules.filter((r) => r.type === "alert")).toHaveLength(565);
    const watchdog = view.rules.find((r) => r.name === "Watchdog")!;
    expect([watchdog.file.endsWith("kube-prometheus/kubePrometheus-prometheusRule.yaml"), watchdog.line, watchdog.column]).toEqual([true, 25, 7]);
  });

  it("check reports no input problem and no invalid rule, only the reviewed quality findings", async () => {
    const run = await runCli(["check", corpus, "--format", "json"]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: Array<{ rule: string; model: string | null }> };
    const counts: Record<string, number> = {};
    for (const f of report.findings) counts[f.rule] = (counts[f.rule] ?? 0) + 1;
    // ALR-007: KubernetesCronjobTooLong's absent() without for:. ALR-010 (no Prometheus config, so a
    // 1m scrape interval): rate()/increase() over 1m, counters read raw or through delta() or
    // max_over_time(), and exporters' gauges named like counters (`memberlist_client_cluster_members_count`).
    expect(counts).toEqual({ "ALR-002": 21, "ALR-003": 20, "ALR-004": 191, "ALR-005": 29, "ALR-006": 230, "ALR-007": 1, "ALR-010": 52 });
    expect(report.findings.every((f) => f.model === null)).toBe(true);
  });
});
