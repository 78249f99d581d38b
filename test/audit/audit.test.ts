// The audit document as pure functions (src/audit): what it says, how it escapes what an attacker
// could put in an attestation, the evidence rules, days to expiry by the attestation's own clock,
// the changes against a previous attestation, and that HTML stays self-contained and accessible.
import { describe, expect, it } from "vitest";
import { buildStatement, type Statement } from "../../src/attest/index.js";
import { attestationChanges, auditDocument, renderAudit, renderHtml, renderMarkdown, type AuditOptions, type EvidenceFile } from "../../src/audit/index.js";
import { sampleFacts } from "../attest/helpers.js";

const VERIFIED = { verified: true, keyid: "yllL5rlEeWKFuGbD2TZDSag8xrJOZtOcUROR9HJLT0A" } as const;
const HOSTILE = `<script>alert("x")</script></style><img src=https://evil.example/x.png> | a|b \`tick\` [link](javascript:alert(1)) **bold**`;

function statement(overrides: Parameters<typeof sampleFacts>[0] = {}): Statement {
  return buildStatement(sampleFacts(overrides));
}

function options(overrides: Partial<AuditOptions> = {}): AuditOptions {
  return { verification: VERIFIED, evidence: null, ...overrides };
}

function hostileStatement(): Statement {
  const facts = sampleFacts();
  return buildStatement({
    ...facts,
    repository: `https://github.com/acme/${HOSTILE}`,
    models: facts.models.map((m, i) => (i === 0 ? { ...m, name: HOSTILE, owner: HOSTILE } : m)),
    findings: facts.findings.map((f) => ({
      ...f,
      message: `${HOSTILE}\nsecond line`,
      model: f.model === "fraud-detector" ? HOSTILE : f.model,
      models: f.models.map((m) => (m === "fraud-detector" ? HOSTILE : m)),
    })),
  });
}

describe("HTML", () => {
  it("escapes every text from the attestation: no tag, attribute or style can be injected", () => {
    const evidence = new Map<string, EvidenceFile>([["alerts/fraud-detector.rules.yaml", { text: `a\nb\nc\nd\ne\n${HOSTILE}\ng\n` }]]);
    const html = renderHtml(auditDocument(hostileStatement(), options({ evidence })));
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;/style&gt;&lt;img src=https://evil.example/x.png&gt;");
    // The model's anchor is its place, never its name.
    expect(html).toContain('<section id="model-2" class="model" aria-labelledby="model-2-title">');
  });

  it("is self-contained: no script, no external resource, no link out of the document", () => {
    const html = renderHtml(auditDocument(hostileStatement(), options()));
    const tags = [...html.matchAll(/<([a-zA-Z][\w-]*)((?:\s[^>]*)?)>/g)];
    expect(new Set(tags.map((t) => t[1]!.toLowerCase()))).not.toContain("script");
    for (const name of ["link", "img", "iframe", "object", "embed", "base", "form"]) expect(html).not.toMatch(new RegExp(`<${name}[\\s>]`, "i"));
    expect(html).not.toMatch(/http-equiv/i);
    const style = html.slice(html.indexOf("<style>"), html.indexOf("</style>"));
    // Outside its strings (the running header quotes the repository), the CSS loads nothing.
    expect(style.replace(/"(?:[^"\\]|\\.)*"/g, '""')).not.toMatch(/@import|url\(|https?:/i);
    for (const [, tag, attributes] of tags) {
      for (const [, name, value] of attributes!.matchAll(/([\w:-]+)="([^"]*)"/g)) {
        expect(name, `<${tag} ${name}>`).not.toMatch(/^(src|srcset|action|formaction|on\w+)$/i);
        if (name === "href") expect(value).toMatch(/^#[\w-]+$/);
        // The only URI in a tag is SVG's namespace, which is a name, not a request.
        else if (name === "xmlns") expect(value).toBe("http://www.w3.org/2000/svg");
        else expect(value, `<${tag} ${name}>`).not.toMatch(/:\/\//);
      }
    }
  });

  it("is accessible: language, ordered headings, captioned tables with scoped headers, charts with text alternatives and data tables", () => {
    const html = renderHtml(auditDocument(statement(), options()));
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    const levels = [...html.matchAll(/<h([1-6])[ >]/g)].map((m) => Number(m[1]));
    levels.forEach((level, i) => {
      if (i > 0) expect(level - levels[i - 1]!, `heading ${i}`).toBeLessThanOrEqual(1);
    });
    const tables = html.match(/<table[^>]*>/g)!.length;
    expect(html.match(/<caption>/g)).toHaveLength(tables);
    expect(html).not.toMatch(/<th(?=[\s>])(?![^>]*scope=)[^>]*>/);
    const charts = [...html.matchAll(/<svg [^>]*role="img" aria-labelledby="([\w-]+)-title \1-desc"[^>]*>(.*?)<\/svg>/g)];
    expect(charts.map((c) => c[1])).toEqual(["chart-models", "chart-findings"]);
    for (const [, id, body] of charts) {
      expect(body).toMatch(new RegExp(`^<title id="${id}-title">[^<]+</title><desc id="${id}-desc">[^<]+</desc>`));
    }
    expect(html).toContain("<caption>Models by result (the data of the chart above)</caption>");
    expect(html).toContain("<caption>Findings by family and severity (the data of the chart above)</caption>");
    // The chart's description carries its numbers: a screen reader hears the same data.
    expect(html).toContain("<desc id=\"chart-models-desc\">A bar chart of the models by result: 0 FAILED, 0 WARNED, 2 PASSED.</desc>");
  });

  it("prints a page per model with table headers repeated on every page", () => {
    const html = renderHtml(auditDocument(statement(), options()));
    const print = html.slice(html.indexOf("@media print"));
    expect(print).toMatch(/section\.model[^{]*\{ break-before: page; \}/);
    expect(print).toContain("thead { display: table-header-group; }");
    // A running header and page numbers on every page.
    expect(html).toContain('@top-left { content: "obsgate audit report · https://github.com/acme/models · commit 3f2a9c1e5b7d4a6f8e0c2b1a9d8e7f6a5b4c3d2e · evaluated 2026-05-01T12:00:00.000Z · PASSED";');
    expect(html).toContain('@bottom-right { content: "page " counter(page) " of " counter(pages);');
    expect(html.match(/<section id="model-\d+" class="model"/g)).toHaveLength(2);
    expect(html.match(/<thead>/g)!.length).toBe(html.match(/<table[^>]*>/g)!.length);
  });
});

describe("Markdown", () => {
  it("escapes table cells and inline text: a pipe, a backtick or a newline cannot break a table or start markup", () => {
    const md = renderMarkdown(auditDocument(hostileStatement(), options()));
    expect(md).not.toContain("<script");
    expect(md).not.toContain("<svg");
    // Every table row has as many cells as its header.
    for (const table of md.split("\n\n").filter((b) => b.startsWith("| "))) {
      const cells = (row: string) => row.replace(/\\\|/g, "").split("|").length;
      const [head, ...rows] = table.trimEnd().split("\n");
      for (const row of rows) expect(cells(row), row).toBe(cells(head!));
    }
    expect(md).toContain("&lt;script>alert(\"x\")&lt;/script>&lt;/style>&lt;img src=https://evil.example/x.png> \\| a\\|b \\`tick\\` \\[link\\](javascript:alert(1)) \\*\\*bold\\*\\*");
    expect(md).toContain("second line");
    expect(md).not.toMatch(/^second line/m);
  });

  it("quotes evidence in a fence no backtick run in the file can close", () => {
    const evidence = new Map<string, EvidenceFile>([["alerts/fraud-detector.rules.yaml", { text: "1\n2\n3\n4\n5\n````\n7\n8\n" }]]);
    const md = renderMarkdown(auditDocument(statement(), options({ evidence })));
    expect(md).toMatch(/\n {3}`````text\n {3} {5}4 \| 4\n {3} {5}5 \| 5\n {3}> {4}6 \| ````\n {3} {5}7 \| 7\n {3} {5}8 \| 8\n {3}`````\n/);
  });
});

describe("evidence", () => {
  const gaps: Array<[Extract<EvidenceFile, { gap: string }> | null, RegExp]> = [
    [null, /Evidence not shown: the report was made without --root, so no file was read/],
    [{ gap: "missing" }, /Evidence not shown: the file is not under --root/],
    [{ gap: "mismatch" }, /Evidence not shown: the file under --root is not the one attested \(its sha256 differs\)/],
    [{ gap: "unsafe-path" }, /Evidence not shown: the path does not stay under --root/],
  ];
  for (const [file, text] of gaps) {
    it(`says why it is not shown: ${file === null ? "no --root" : file.gap}`, () => {
      const evidence = file === null ? null : new Map([["alerts/fraud-detector.rules.yaml", file]]);
      const doc = auditDocument(statement(), options({ evidence }));
      const finding = doc.models.find((m) => m.name === "fraud-detector")!.findings.find((f) => f.rule === "ALR-006")!;
      expect(finding.evidence).toEqual({ gap: file === null ? "no-root" : file.gap });
      expect(renderHtml(doc)).toMatch(text);
      expect(renderMarkdown(doc)).toMatch(text);
    });
  }

  it("a finding file the CLI gave nothing for is not a subject: nothing vouches for its lines", () => {
    const doc = auditDocument(statement(), options({ evidence: new Map() }));
    expect(doc.models[1]!.findings[0]!.evidence).toEqual({ gap: "not-a-subject" });
  });

  it("shows the lines around the finding's line, marking it", () => {
    const evidence = new Map<string, EvidenceFile>([["alerts/fraud-detector.rules.yaml", { text: "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\n" }]]);
    const doc = auditDocument(statement(), options({ evidence }));
    const finding = doc.models.find((m) => m.name === "fraud-detector")!.findings.find((f) => f.rule === "ALR-006")!;
    expect(finding.evidence).toEqual({
      lines: [
        { number: 4, text: "l4", target: false },
        { number: 5, text: "l5", target: false },
        { number: 6, text: "l6", target: true },
        { number: 7, text: "l7", target: false },
        { number: 8, text: "l8", target: false },
      ],
    });
    expect(renderHtml(doc)).toContain('<mark><span class="ln">6</span>l6</mark>');
  });
});

describe("waivers", () => {
  it("gives each waiver's owner, reason, ticket and days to expiry counted from the attestation's time, not the reader's clock", () => {
    const doc = auditDocument(statement(), options());
    const fraud = doc.models.find((m) => m.name === "fraud-detector")!;
    expect(fraud.waivers).toEqual([
      expect.objectContaining({ rule: "ALR-006", owner: "team-risk", ticket: "RISK-1234", expires: "2026-06-30", daysToExpiry: 60, status: "applied", location: "waivers.yaml:2" }),
    ]);
    const churn = doc.models.find((m) => m.name === "churn-scorer")!;
    expect(churn.waivers).toEqual([expect.objectContaining({ rule: "CAR-002", status: "expired", expires: "2026-04-01", daysToExpiry: -30 })]);
    const md = renderMarkdown(doc);
    expect(md).toContain("| ALR-006 | applied | team-risk | Pages on a hard outage that a 5-minute wait would hide; reviewed with SRE. | RISK-1234 | 2026-06-30 (60 days left at evaluation) | 1 | `waivers.yaml:2` |");
    expect(md).toContain("2026-04-01 (expired 30 days before evaluation)");
    expect(md).toContain("Days to expiry count from the UTC day the attestation was evaluated");
    // A later evaluation of the same waivers counts fewer days: the clock is the attestation's.
    const later = auditDocument(statement({ timeEvaluated: new Date("2026-06-29T23:00:00Z") }), options());
    expect(later.models.find((m) => m.name === "fraud-detector")!.waivers[0]!.daysToExpiry).toBe(1);
  });
});

describe("the document", () => {
  it("is the same bytes for the same inputs, whatever order the evidence map was filled in", () => {
    const a = new Map<string, EvidenceFile>([["alerts/fraud-detector.rules.yaml", { text: "x\n" }], ["backends/loki.yaml", { gap: "mismatch" }]]);
    const b = new Map<string, EvidenceFile>([...a].reverse());
    for (const format of ["html", "markdown"] as const) {
      expect(renderAudit(statement(), options({ evidence: b }), format)).toBe(renderAudit(statement(), options({ evidence: a }), format));
    }
  });

  it("counts findings by family once each, a shared file's finding included, as the summary does", () => {
    const doc = auditDocument(statement(), options());
    expect(doc.summary.findingsByFamily).toEqual([
      { family: "ALR", open: { error: 0, warning: 0, info: 0 }, waived: 1 },
      { family: "RET", open: { error: 0, warning: 0, info: 1 }, waived: 0 },
    ]);
  });

  it("says on the cover when the signature was not checked, and who the envelope claims signed it", () => {
    const doc = auditDocument(statement(), options({ verification: { verified: false, claimedKeyid: "someone" } }));
    const html = renderHtml(doc);
    expect(html).toContain("<dt>Signer</dt><dd>claims key someone (not checked)</dd>");
    expect(html).toContain('<span class="badge s-failed">not checked</span>');
    expect(html).toContain("SIGNATURE NOT CHECKED");
    // On every printed page, in the bottom margin; never on a verified report.
    expect(html).toMatch(/@media print \{\n {2}@page \{[^]*@bottom-left \{ content: "UNVERIFIED: this report was made with --unverified\./);
    expect(renderHtml(auditDocument(statement(), options()))).not.toMatch(/UNVERIFIED|@bottom-left/);
  });
});

describe("changes since a previous attestation", () => {
  const before = statement();
  it("lists models added and removed, results changed, findings fixed and new", () => {
    const facts = sampleFacts();
    const after = buildStatement({
      ...facts,
      models: [facts.models[0]!, { ...facts.models[1]!, name: "churn-scorer-v2" }],
      findings: [
        facts.findings[1]!,
        { rule: "CAR-002", severity: "error", status: "open", model: "fraud-detector", models: ["fraud-detector"], message: "unbounded", file: "models/fraud-detector.obsgate.yaml", line: 9, column: 7, pointer: "/spec/metrics/0/labels/0" },
      ],
    });
    const changes = attestationChanges(before, after, VERIFIED);
    expect(changes.modelsAdded).toEqual(["churn-scorer-v2"]);
    expect(changes.modelsRemoved).toEqual(["churn-scorer"]);
    expect(changes.resultsChanged).toEqual([{ name: "fraud-detector", before: "PASSED", after: "FAILED" }]);
    expect(changes.findingsFixed.map((f) => f.rule)).toEqual(["RET-005"]);
    // Without a fingerprint, a finding is matched by rule, file and pointer.
    expect(changes.findingsNew.map((f) => `${f.rule} ${f.location}`)).toEqual(["CAR-002 models/fraud-detector.obsgate.yaml:9:7"]);
    expect(attestationChanges(after, after, VERIFIED).findingsNew).toEqual([]);
  });

  it("matches a waiver by what it waives, not by its line: added, renewed, expired, removed", () => {
    const facts = sampleFacts();
    const applied = facts.waivers.applied[0]!;
    const renewed = { ...applied, line: 20, expires: "2026-07-30" };
    const added = { ...applied, rule: "RET-005", selector: { ...applied.selector, pointer: null, file: "backends/loki.yaml" } };
    const after = buildStatement({ ...facts, waivers: { applied: [renewed, added], expired: [] } });
    const changes = attestationChanges(before, after, VERIFIED);
    expect(changes.waiversRenewed).toEqual([expect.objectContaining({ rule: "ALR-006", expiresBefore: "2026-06-30", expires: "2026-07-30", location: "waivers.yaml:20" })]);
    expect(changes.waiversAdded).toEqual([expect.objectContaining({ rule: "RET-005", selects: "model fraud-detector, file backends/loki.yaml" })]);
    expect(changes.waiversRemoved).toEqual([expect.objectContaining({ rule: "CAR-002" })]);
    expect(changes.waiversExpired).toEqual([]);
    const expiredNow = buildStatement({ ...facts, waivers: { applied: [], expired: [applied, facts.waivers.expired[0]!] } });
    // Only the waiver that was applied before is newly expired; the other had expired already.
    expect(attestationChanges(before, expiredNow, VERIFIED).waiversExpired.map((w) => w.rule)).toEqual(["ALR-006"]);
  });

  it("appears in both formats, saying when neither attestation names its repository", () => {
    const unnamed = statement({ repository: null });
    const doc = auditDocument(unnamed, options({ previous: { statement: unnamed, verification: VERIFIED } }));
    expect(renderHtml(doc)).toContain('<section id="changes" class="changes" aria-labelledby="changes-title">');
    expect(renderMarkdown(doc)).toContain("Neither attestation records its repository, so that both are of the same repository could not be checked.");
    expect(renderMarkdown(auditDocument(unnamed, options()))).not.toContain("## Changes since the previous report");
  });
});
