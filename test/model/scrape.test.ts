// scrapeSettings: the interval and limits the model's metrics are scraped with, as Prometheus and the
// Prometheus Operator decide them, each traced to the line that sets it, and the values they refuse.
import { describe, expect, it } from "vitest";
import { scrapeSettings } from "../../src/model/scrape.js";
import { BACKENDS, backendFixture, fixtureLine, loadBackend, originOf } from "../helpers/backends.js";
import type { LoadedDocument } from "../../src/load/index.js";

function run(prometheus: LoadedDocument[], scrape: LoadedDocument[], names = ["fraud-detector", "fraud-api"]) {
  return scrapeSettings({ prometheus, scrape }, names);
}

describe("Prometheus config jobs", () => {
  it("reads the job named after the service, with its own interval and limits, each at its line", () => {
    const main = backendFixture("prometheus.yml");
    const file = backendFixture("prometheus-scrape.yml");
    const result = run(main, file);
    expect(result.problems).toEqual([]);
    expect(result.scrape).toEqual({
      intervalSeconds: 15,
      intervalSetting: "scrape_configs[fraud-api].scrape_interval",
      intervalIsDefault: false,
      intervalFile: `${BACKENDS}/prometheus-scrape.yml`,
      jobs: [
        {
          name: "fraud-api",
          source: "prometheus-config",
          file: `${BACKENDS}/prometheus-scrape.yml`,
          intervalSeconds: 15,
          sampleLimit: 20000,
          labelLimit: 30,
          labelValueLengthLimit: 200,
        },
      ],
    });
    const docs = [...main, ...file];
    expect(originOf(result.origins, "/intervalSeconds", docs).line).toBe(fixtureLine("prometheus-scrape.yml", "scrape_interval: 15s"));
    expect(originOf(result.origins, "/jobs/0", docs).line).toBe(fixtureLine("prometheus-scrape.yml", "job_name: fraud-api"));
    expect(originOf(result.origins, "/jobs/0/sampleLimit", docs).line).toBe(fixtureLine("prometheus-scrape.yml", "sample_limit: 20000"));
    expect(originOf(result.origins, "/jobs/0/labelLimit", docs).line).toBe(fixtureLine("prometheus-scrape.yml", "label_limit: 30"));
  });

  it("gives a job without settings the main config's global interval, and no limit located where the job would set it", () => {
    const main = backendFixture("prometheus.yml");
    const file = backendFixture("prometheus-scrape.yml");
    const result = run(main, file, ["credit-scorer", "credit-api"]);
    expect(result.scrape?.jobs).toEqual([
      {
        name: "credit-api",
        source: "prometheus-config",
        file: `${BACKENDS}/prometheus-scrape.yml`,
        intervalSeconds: 30,
        sampleLimit: null,
        labelLimit: null,
        labelValueLengthLimit: null,
      },
    ]);
    const docs = [...main, ...file];
    expect(originOf(result.origins, "/jobs/0/intervalSeconds", docs)).toMatchObject({
      file: `${BACKENDS}/prometheus.yml`,
      line: fixtureLine("prometheus.yml", "scrape_interval: 30s"),
    });
    expect(originOf(result.origins, "/jobs/0/sampleLimit", docs)).toMatchObject({
      pointer: "/scrape_configs/1/sample_limit",
      line: fixtureLine("prometheus-scrape.yml", "job_name: credit-api"),
    });
    expect(result.scrape?.intervalSetting).toBe("global.scrape_interval");
  });

  it("reads the main config's jobs only by name, and then knows the global interval alone", () => {
    const main = backendFixture("prometheus.yml");
    const result = run(main, [], ["ranker"]);
    expect(result.scrape).toMatchObject({ intervalSeconds: 30, intervalSetting: "global.scrape_interval", jobs: [] });
    expect(run(main, [], ["model-servers"]).scrape?.jobs.map((j) => [j.name, j.sampleLimit])).toEqual([["model-servers", 50000]]);
  });

  it("takes the only job of a file in the scrape slot, whatever its name", () => {
    const only = loadBackend("scrape_configs:\n  - job_name: kserve-predictors\n    scrape_interval: 20s\n", "scrape/kserve.yml");
    expect(run([], only).scrape?.jobs.map((j) => j.name)).toEqual(["kserve-predictors"]);
  });

  it("applies Prometheus's 1m default when no global scrape_interval is set, located where it would be written", () => {
    const main = loadBackend("global:\n  evaluation_interval: 30s\nscrape_configs:\n  - job_name: fraud-api\n", "prometheus.yml");
    const result = run(main, []);
    expect(result.scrape).toMatchObject({
      intervalSeconds: 60,
      intervalSetting: "global.scrape_interval (unset: Prometheus default 1m)",
      intervalIsDefault: true,
    });
    expect(originOf(result.origins, "/intervalSeconds", main)).toMatchObject({ pointer: "/global/scrape_interval", line: 1 });
  });

  it("reads a limit of 0 as no limit, even over a global one", () => {
    const main = loadBackend("global:\n  sample_limit: 5000\n  label_limit: 30\nscrape_configs:\n  - job_name: fraud-api\n    sample_limit: 0\n", "prometheus.yml");
    expect(run(main, []).scrape?.jobs[0]).toMatchObject({ sampleLimit: null, labelLimit: 30 });
  });

  it("makes the model's interval the longest of its jobs'", () => {
    const file = loadBackend(
      "scrape_configs:\n  - job_name: fraud-api\n    scrape_interval: 15s\n  - job_name: fraud-detector\n    scrape_interval: 2m\n",
      "scrape/fraud.yml",
    );
    expect(run([], file).scrape).toMatchObject({ intervalSeconds: 120, intervalSetting: "scrape_configs[fraud-detector].scrape_interval" });
  });

  it("reports durations and limits Prometheus refuses at their lines, and reads the rest", () => {
    const bad = backendFixture("prometheus-scrape-bad.yml");
    const result = run([], bad);
    expect(result.problems.map((p) => [p.rule, p.line, p.column, p.pointer])).toEqual([
      ["INP-002", fixtureLine("prometheus-scrape-bad.yml", "30 seconds"), 3, "/global/scrape_interval"],
      ["INP-002", fixtureLine("prometheus-scrape-bad.yml", "1.5m"), 5, "/scrape_configs/0/scrape_interval"],
      ["INP-002", fixtureLine("prometheus-scrape-bad.yml", "20k"), 5, "/scrape_configs/0/sample_limit"],
      ["INP-002", fixtureLine("prometheus-scrape-bad.yml", "10sec"), 5, "/scrape_configs/1/scrape_timeout"],
    ]);
    expect(result.problems[1]!.message).toBe(
      "`scrape_configs[fraud-api].scrape_interval` is `1.5m`, which Prometheus does not read as a duration; it takes a Prometheus duration: whole numbers with units, largest first, from y, w, d, h, m, s, ms (such as 720h, 30d, 4w or 1d12h), or 0",
    );
    expect(result.problems[2]!.message).toBe("`scrape_configs[fraud-api].sample_limit` is `20k`, which Prometheus does not read as a whole number of 0 or more");
    // Refused values count as unset: the job is still read, with the default interval.
    expect(result.scrape?.jobs).toEqual([expect.objectContaining({ name: "fraud-api", intervalSeconds: 60, sampleLimit: null })]);
  });

  it("reports a job without job_name and a scrape_configs that is not a list", () => {
    const file = loadBackend("scrape_configs:\n  - scrape_interval: 15s\n", "scrape/x.yml");
    expect(run([], file).problems.map((p) => [p.line, p.message])).toEqual([[2, "`scrape_configs[0]` has no job_name, so Prometheus refuses the config"]]);
  });
});

describe("Prometheus Operator monitors", () => {
  it("reads each endpoint as a job: its own interval, else the Prometheus resource's; enforced limits cap the monitor's", () => {
    const operator = backendFixture("prometheus-operator-limits.yaml");
    const monitor = backendFixture("servicemonitor.yaml");
    const result = run(operator, monitor);
    expect(result.problems).toEqual([]);
    expect(result.scrape?.jobs).toEqual([
      {
        name: "serviceMonitor/fraud/fraud-api/0",
        source: "service-monitor",
        file: `${BACKENDS}/servicemonitor.yaml`,
        intervalSeconds: 15,
        sampleLimit: 10000,
        labelLimit: 40,
        labelValueLengthLimit: null,
      },
      expect.objectContaining({ name: "serviceMonitor/fraud/fraud-api/1", intervalSeconds: 60, sampleLimit: 10000 }),
    ]);
    expect(result.scrape).toMatchObject({ intervalSeconds: 60, intervalSetting: "spec.scrapeInterval" });
    const docs = [...operator, ...monitor];
    expect(originOf(result.origins, "/jobs/0/sampleLimit", docs).line).toBe(fixtureLine("prometheus-operator-limits.yaml", "enforcedSampleLimit"));
    expect(originOf(result.origins, "/jobs/0/intervalSeconds", docs).line).toBe(fixtureLine("servicemonitor.yaml", "interval: 15s"));
  });

  it("keeps a monitor's own limit below the enforced one", () => {
    const operator = loadBackend("apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: { name: p }\nspec:\n  enforcedSampleLimit: 50000\n", "p.yaml");
    const result = run(operator, backendFixture("servicemonitor.yaml"));
    expect(result.scrape?.jobs[0]).toMatchObject({ sampleLimit: 20000, labelLimit: null });
    expect(originOf(result.origins, "/jobs/0/sampleLimit", backendFixture("servicemonitor.yaml")).line).toBe(fixtureLine("servicemonitor.yaml", "sampleLimit"));
  });

  it("applies the Operator's 30s default without spec.scrapeInterval, and knows no interval without a Prometheus resource", () => {
    const result = run(backendFixture("prometheus-operator.yaml"), backendFixture("podmonitor.yaml"));
    expect(result.scrape).toMatchObject({
      intervalSeconds: 30,
      intervalSetting: "spec.scrapeInterval (unset: Prometheus Operator default 30s)",
      intervalIsDefault: true,
      jobs: [expect.objectContaining({ name: "podMonitor/growth/churn-scorer/0", source: "pod-monitor", intervalSeconds: 30, sampleLimit: null })],
    });
    const alone = run([], backendFixture("podmonitor.yaml"));
    expect(alone.scrape).toMatchObject({ intervalSeconds: null, intervalSetting: null, intervalFile: null });
  });
});

describe("scrapeSettings with nothing to read", () => {
  it("is null without a Prometheus config, an Operator resource or a scrape config", () => {
    expect(run(backendFixture("prometheus-statefulset.yaml"), [])).toEqual({ scrape: null, origins: [], problems: [] });
  });
});
