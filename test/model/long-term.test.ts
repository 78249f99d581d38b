// Long-term metrics retention (ModelInput.retention.longTerm): what a Mimir compactor, for the model's
// tenant, and a Thanos compactor, per resolution, keep; where each value is set; what they refuse.
import { describe, expect, it } from "vitest";
import type { LoadedDocument } from "../../src/load/index.js";
import { effectiveRetention } from "../../src/model/retention.js";
import { BACKENDS, backendFixture, fixtureLine, loadBackend, originOf } from "../helpers/backends.js";

const DAY = 86_400;
const YEAR = 365 * DAY;

function run(slots: { mimir?: LoadedDocument[]; thanos?: LoadedDocument[]; prometheus?: LoadedDocument[] }) {
  return effectiveRetention({ prometheus: [], loki: [], tempo: [], ...slots }, { tenant: null, stream: {} });
}

/** A Prometheus config that writes to Mimir as `tenant`. */
function writingAs(tenant: string): LoadedDocument[] {
  return loadBackend(`remote_write:\n  - url: http://mimir/api/v1/push\n    headers: { X-Scope-OrgID: "${tenant}" }\n`, "prometheus.yml");
}

describe("Mimir", () => {
  it("reads limits.compactor_blocks_retention_period at its line", () => {
    const mimir = backendFixture("mimir.yaml");
    const result = run({ mimir });
    expect(result.longTerm).toEqual([
      { seconds: YEAR, backend: "mimir", setting: "limits.compactor_blocks_retention_period", isDefault: false, file: `${BACKENDS}/mimir.yaml` },
    ]);
    expect(originOf(result.origins, "/longTerm/0", mimir).line).toBe(fixtureLine("mimir.yaml", "compactor_blocks_retention_period"));
    expect(result.problems).toEqual([]);
  });

  it("applies the override of the tenant the model's Prometheus writes as, and only that tenant's", () => {
    const mimir = [...backendFixture("mimir.yaml"), ...backendFixture("mimir-runtime.yaml")];
    const risk = run({ mimir, prometheus: writingAs("risk") });
    expect(risk.longTerm).toEqual([
      { seconds: 2 * YEAR, backend: "mimir", setting: "overrides.risk.compactor_blocks_retention_period", isDefault: false, file: `${BACKENDS}/mimir-runtime.yaml` },
    ]);
    expect(originOf(risk.origins, "/longTerm/0", mimir).line).toBe(fixtureLine("mimir-runtime.yaml", "2y"));
    // A tenant that sets no retention inherits the global one; without a tenant, only the global one applies.
    expect(run({ mimir, prometheus: writingAs("growth") }).longTerm[0]).toMatchObject({ seconds: YEAR, setting: "limits.compactor_blocks_retention_period" });
    expect(run({ mimir }).longTerm[0]).toMatchObject({ seconds: YEAR });
    // 0 keeps the tenant's blocks forever.
    expect(run({ mimir, prometheus: writingAs("sandbox team") }).longTerm[0]).toMatchObject({
      seconds: null,
      setting: 'overrides."sandbox team".compactor_blocks_retention_period (0: blocks are never deleted)',
    });
  });

  it("puts every series under `anonymous` when multitenancy is disabled", () => {
    const mimir = [
      ...loadBackend("multitenancy_enabled: false\nlimits:\n  compactor_blocks_retention_period: 30d\n", "mimir.yaml"),
      ...loadBackend("overrides:\n  anonymous:\n    compactor_blocks_retention_period: 400d\n", "runtime.yaml"),
    ];
    expect(run({ mimir, prometheus: writingAs("risk") }).longTerm[0]).toMatchObject({ seconds: 400 * DAY, setting: "overrides.anonymous.compactor_blocks_retention_period" });
  });

  it("applies the default (never delete) located where the setting would be written", () => {
    const mimir = loadBackend("blocks_storage:\n  backend: s3\nlimits:\n  max_global_series_per_user: 100000\n", "mimir.yaml");
    const result = run({ mimir });
    expect(result.longTerm).toEqual([
      { seconds: null, backend: "mimir", setting: "limits.compactor_blocks_retention_period (unset: default 0, blocks are never deleted)", isDefault: true, file: "mimir.yaml" },
    ]);
    expect(originOf(result.origins, "/longTerm/0", mimir)).toMatchObject({ pointer: "/limits/compactor_blocks_retention_period", line: 3 });
  });

  it("reports a value Mimir refuses in any tenant", () => {
    const mimir = [
      ...backendFixture("mimir.yaml"),
      ...loadBackend("overrides:\n  other:\n    compactor_blocks_retention_period: one year\n", "runtime.yaml"),
    ];
    expect(run({ mimir }).problems.map((p) => [p.file, p.line, p.message.split(",")[0]])).toEqual([
      ["runtime.yaml", 3, "`overrides.other.compactor_blocks_retention_period` is `one year`"],
    ]);
  });
});

describe("Thanos compactor", () => {
  it("reads each resolution's flag in both forms, located at its value", () => {
    const thanos = backendFixture("thanos-compact.yaml");
    const result = run({ thanos });
    const file = `${BACKENDS}/thanos-compact.yaml`;
    expect(result.longTerm).toEqual([
      { seconds: 90 * DAY, backend: "thanos", setting: "--retention.resolution-raw", isDefault: false, file },
      { seconds: 180 * DAY, backend: "thanos", setting: "--retention.resolution-5m", isDefault: false, file },
      { seconds: 2 * YEAR, backend: "thanos", setting: "--retention.resolution-1h", isDefault: false, file },
    ]);
    expect(originOf(result.origins, "/longTerm/1", thanos).line).toBe(fixtureLine("thanos-compact.yaml", "- 180d"));
    expect(result.problems).toEqual([]);
  });

  it("reports a flag without a value and a value that is not a duration, and applies the default to the flag left out", () => {
    const thanos = backendFixture("thanos-compact-bad.yaml");
    const result = run({ thanos });
    expect(result.problems.map((p) => [p.rule, p.line, p.column, p.message])).toEqual([
      [
        "INP-002",
        fixtureLine("thanos-compact-bad.yaml", "- --retention.resolution-raw"),
        15,
        '`--retention.resolution-raw` has no value, so thanos compact refuses to start ("expected argument for flag")',
      ],
      [
        "INP-002",
        fixtureLine("thanos-compact-bad.yaml", "one-year"),
        15,
        "`--retention.resolution-1h` is `one-year`, which Thanos does not read as a duration; it takes a Prometheus duration: whole numbers with units, largest first, from y, w, d, h, m, s, ms (such as 720h, 30d, 4w or 1d12h), or 0",
      ],
    ]);
    // The refused flags are reported, not checked again; the one left out keeps its data forever.
    expect(result.longTerm).toEqual([
      { seconds: null, backend: "thanos", setting: "--retention.resolution-5m (unset: default 0d, kept forever)", isDefault: true, file: `${BACKENDS}/thanos-compact-bad.yaml` },
    ]);
    expect(originOf(result.origins, "/longTerm/0", thanos).line).toBe(fixtureLine("thanos-compact-bad.yaml", "args:"));
  });

  it("reads 0d as kept forever, set on purpose", () => {
    const thanos = loadBackend(
      "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: c }\nspec:\n  template:\n    spec:\n      containers:\n        - image: quay.io/thanos/thanos:v0.37.2\n          args: [compact, --retention.resolution-raw=0d, --retention.resolution-5m=0d, --retention.resolution-1h=0d]\n",
      "compact.yaml",
    );
    expect(run({ thanos }).longTerm.map((r) => [r.seconds, r.isDefault, r.setting])).toEqual([
      [null, false, "--retention.resolution-raw (0d: kept forever)"],
      [null, false, "--retention.resolution-5m (0d: kept forever)"],
      [null, false, "--retention.resolution-1h (0d: kept forever)"],
    ]);
  });

  it("is empty when neither store is named", () => {
    expect(run({ prometheus: backendFixture("prometheus-statefulset.yaml") }).longTerm).toEqual([]);
  });
});
