// The audit document as one self-contained HTML file: inline CSS (a print stylesheet with a page
// break per model and table headers repeated on every page) and inline SVG charts, no scripts, no
// fonts, no images, no external URL. Every text from the attestation is escaped. Accessible:
// landmarks, headings in order, tables with captions and scoped headers, each chart an `img` with
// a title and description and a data table beside it, colours of at least 4.5:1 contrast for text
// (docs/audit-report.md lists them) and never colour alone.
import type { AttestedResult, ControlStatus } from "../attest/index.js";
import type { Severity } from "../types.js";
import type { AttestationChanges, ChangedFinding, ChangedWaiver } from "./changes.js";
import {
  CONTROL_STATUS_TEXT,
  EVIDENCE_GAP_TEXT,
  expiryText,
  RESULTS,
  SEVERITIES,
  type AuditDocument,
  type AuditFinding,
  type AuditModel,
  type AuditWaiver,
  type FamilyCounts,
  type Verification,
} from "./document.js";
import { ABOUT_EVIDENCE, ABOUT_EXPIRY, coverFacts, signerText, summaryText, UNVERIFIED_WARNING, verificationText } from "./text.js";

/** The chart colours (bar fills, at least 3:1 against white) and the text on tinted cells (at least 4.5:1). */
const FILL: Record<Severity | "waived" | AttestedResult, string> = {
  FAILED: "#a4161a",
  WARNED: "#b35c00",
  PASSED: "#1b5e20",
  error: "#a4161a",
  warning: "#b35c00",
  info: "#1a4f8b",
  waived: "#6b6b6b",
};

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 15px; line-height: 1.45; color: #1a1a1a; background: #ffffff; }
main { max-width: 1100px; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
h1 { font-size: 1.8rem; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.4rem; margin: 2rem 0 0.75rem; border-bottom: 2px solid #1a1a1a; padding-bottom: 0.2rem; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
p, dl, ul, ol { margin: 0.5rem 0; }
.muted { color: #4a4a4a; }
code, pre, .digest { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.85em; }
.digest { overflow-wrap: anywhere; }
a { color: #0b4f8a; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
table.compact { width: auto; min-width: 24rem; }
table.compact caption { white-space: nowrap; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { border: 1px solid #8c8c8c; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
thead th { background: #eef1f5; }
th[scope="row"] { font-weight: 600; background: #eef1f5; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.badge { display: inline-block; white-space: nowrap; padding: 0 0.4rem; border-radius: 3px; font-weight: 600; border: 1px solid currentColor; }
.s-failed, .s-error, .r-FAILED { color: #a4161a; background: #fdecea; }
.s-warning, .r-WARNED { color: #7a4a00; background: #fff4e0; }
.s-passed, .r-PASSED { color: #1b5e20; background: #e8f5e9; }
.s-info { color: #1a4f8b; background: #e8f0fb; }
.s-waived, .s-not-applicable, .s-open { color: #5b5b5b; background: #f0f0f0; }
.result { font-size: 1.3rem; margin: 0.75rem 0; }
.unverified { background: #8b0000; color: #ffffff; font-weight: 700; padding: 0.5rem 1rem; text-align: center; position: sticky; top: 0; z-index: 1; }
figure.chart { margin: 1rem 0; }
figure.chart figcaption { font-weight: 600; margin-bottom: 0.25rem; }
svg text { font-family: inherit; font-size: 12px; fill: #1a1a1a; }
ol.findings { padding-left: 1.5rem; }
ol.findings > li { margin: 0 0 1rem; }
.finding-head { font-weight: 600; }
pre.evidence { background: #f4f4f4; color: #1a1a1a; border: 1px solid #8c8c8c; padding: 0.4rem 0.6rem; overflow-x: auto; white-space: pre; margin: 0.3rem 0; }
pre.evidence .ln { display: inline-block; min-width: 3.5em; color: #4a4a4a; user-select: none; }
pre.evidence mark { background: #fff3c4; color: #1a1a1a; display: inline-block; min-width: 100%; }
.gap { font-style: italic; color: #4a4a4a; }
nav ol { columns: 2; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  .unverified { position: static; }
  section.model, section.unowned, section.appendix, section.changes, section.summary { break-before: page; }
  thead { display: table-header-group; }
  tr, pre.evidence, figure.chart, ol.findings > li { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  nav { display: none; }
}
`;

/** The whole document, deterministic for the same AuditDocument. */
export function renderHtml(doc: AuditDocument): string {
  const parts: string[] = [];
  parts.push("<!DOCTYPE html>");
  parts.push('<html lang="en">');
  parts.push("<head>");
  parts.push('<meta charset="utf-8">');
  parts.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  parts.push('<meta name="generator" content="obsgate report">');
  parts.push(`<title>${esc(doc.title)}</title>`);
  parts.push(`<style>${STYLE}${pageStyle(doc)}</style>`);
  parts.push("</head>");
  parts.push("<body>");
  if (!doc.verification.verified) {
    // Sticky on screen; in print, the page's bottom margin box repeats it on every page (pageStyle).
    parts.push(`<div class="unverified" role="alert">${esc(UNVERIFIED_WARNING)}</div>`);
  }
  parts.push("<main>");
  parts.push(cover(doc));
  parts.push(summary(doc));
  if (doc.changes) parts.push(changes(doc.changes));
  for (const model of doc.models) parts.push(modelSection(model));
  if (doc.unownedFindings.length > 0 || doc.otherWaivers.length > 0) parts.push(unowned(doc));
  parts.push(appendix(doc));
  parts.push("</main>");
  parts.push("</body>");
  parts.push("</html>");
  return `${parts.join("\n")}\n`;
}

/**
 * The printed page: A4, with the running header (what this is a report of) at the top of every page,
 * page numbers at the bottom, and, when the signature was not checked, the warning in the bottom
 * margin of every page. Margin boxes rather than fixed elements, which would cover the content.
 */
function pageStyle(doc: AuditDocument): string {
  const margin = (box: string, content: string, style: string) => `    @${box} { content: ${content}; ${style} }\n`;
  const small = "font-family: system-ui, sans-serif; font-size: 8pt; color: #4a4a4a;";
  return (
    "@media print {\n  @page {\n    size: A4;\n    margin: 20mm 14mm 22mm;\n" +
    margin("top-left", cssString(runningHeader(doc)), `${small} vertical-align: bottom; padding-bottom: 3mm; border-bottom: 1px solid #8c8c8c;`) +
    margin("bottom-right", '"page " counter(page) " of " counter(pages)', small) +
    (doc.verification.verified
      ? ""
      : margin("bottom-left", cssString(UNVERIFIED_WARNING), "font-family: system-ui, sans-serif; font-size: 8.5pt; font-weight: 700; color: #ffffff; background: #8b0000; padding: 0 3mm; vertical-align: middle;")) +
    "  }\n}\n"
  );
}

/** Text as a CSS string: anything but plain characters hex-escaped, so no quote, backslash or `</style>` can end it. */
function cssString(text: string): string {
  return `"${text.replace(/[^\w .,:;·()/@-]/gu, (c) => `\\${c.codePointAt(0)!.toString(16)} `)}"`;
}

function runningHeader(doc: AuditDocument): string {
  const c = doc.cover;
  return `obsgate audit report · ${c.repository ?? "repository not recorded"} · commit ${c.commit ?? "not recorded"} · evaluated ${c.timeEvaluated} · ${c.result}${doc.verification.verified ? "" : " · SIGNATURE NOT CHECKED"}`;
}

function cover(doc: AuditDocument): string {
  const c = doc.cover;
  const out: string[] = [];
  out.push('<section id="cover" class="cover" aria-labelledby="cover-title">');
  out.push('<h1 id="cover-title">Observability compliance audit</h1>');
  out.push(`<p class="result">Result: <span class="badge r-${esc(c.result)}">${esc(c.result)}</span> <span class="muted">(runs fail on open findings of severity ${esc(c.failOn)} and above)</span></p>`);
  out.push('<dl class="facts">');
  for (const [term, value, mono] of coverFacts(doc)) out.push(`<dt>${esc(term)}</dt><dd>${mono ? `<span class="digest">${esc(value)}</span>` : esc(value)}</dd>`);
  out.push(`<dt>Signer</dt><dd>${esc(signerText(doc.verification))}</dd>`);
  out.push(`<dt>Verification</dt><dd>${verificationBadge(doc.verification)} ${esc(verificationText(doc.verification))}</dd>`);
  out.push("</dl>");
  out.push('<table class="policies">');
  out.push("<caption>Policy sets that ran</caption>");
  out.push('<thead><tr><th scope="col">Policy set</th><th scope="col">sha256</th><th scope="col">OPA version</th></tr></thead>');
  out.push("<tbody>");
  for (const p of c.policySets) out.push(`<tr><th scope="row">${esc(p.name)}</th><td class="digest">${esc(p.sha256)}</td><td>${esc(p.opaVersion ?? "not recorded")}</td></tr>`);
  out.push("</tbody></table>");
  out.push('<nav aria-label="Contents"><h2>Contents</h2><ol>');
  out.push('<li><a href="#summary">Executive summary</a></li>');
  if (doc.changes) out.push('<li><a href="#changes">Changes since the previous report</a></li>');
  for (const m of doc.models) out.push(`<li><a href="#${m.anchor}">Model ${esc(m.name)}</a> — ${esc(m.result)}</li>`);
  if (doc.unownedFindings.length > 0 || doc.otherWaivers.length > 0) out.push('<li><a href="#unowned">Files no model owns</a></li>');
  out.push('<li><a href="#appendix">Appendix: input files</a></li>');
  out.push("</ol></nav>");
  out.push("</section>");
  return out.join("\n");
}

function verificationBadge(v: Verification): string {
  return v.verified ? '<span class="badge s-passed">verified</span>' : '<span class="badge s-failed">not checked</span>';
}

function summary(doc: AuditDocument): string {
  const s = doc.summary;
  const out: string[] = [];
  out.push('<section id="summary" class="summary" aria-labelledby="summary-title">');
  out.push('<h2 id="summary-title">Executive summary</h2>');
  out.push(`<p>${esc(summaryText(doc))}</p>`);
  out.push(modelsChart(doc));
  out.push('<table class="data-models compact">');
  out.push("<caption>Models by result (the data of the chart above)</caption>");
  out.push('<thead><tr><th scope="col">Result</th><th scope="col" class="num">Models</th></tr></thead><tbody>');
  for (const r of RESULTS) out.push(`<tr><th scope="row">${r}</th><td class="num">${s.modelsByResult[r]}</td></tr>`);
  out.push("</tbody></table>");
  out.push(findingsChart(s.findingsByFamily));
  out.push('<table class="data-findings compact">');
  out.push("<caption>Findings by family and severity (the data of the chart above)</caption>");
  out.push(`<thead><tr><th scope="col">Family</th>${SEVERITIES.map((sev) => `<th scope="col" class="num">Open ${sev}</th>`).join("")}<th scope="col" class="num">Waived</th></tr></thead><tbody>`);
  if (s.findingsByFamily.length === 0) out.push('<tr><td colspan="5">No findings.</td></tr>');
  for (const f of s.findingsByFamily) {
    out.push(`<tr><th scope="row">${esc(f.family)}</th>${SEVERITIES.map((sev) => `<td class="num">${f.open[sev]}</td>`).join("")}<td class="num">${f.waived}</td></tr>`);
  }
  out.push("</tbody></table>");
  out.push('<table class="model-results">');
  out.push("<caption>Models</caption>");
  out.push('<thead><tr><th scope="col">Model</th><th scope="col">Owner</th><th scope="col">Tier</th><th scope="col">Risk class</th><th scope="col">Result</th><th scope="col" class="num">Controls failed</th><th scope="col" class="num">Controls waived</th></tr></thead><tbody>');
  for (const m of doc.models) {
    out.push(
      `<tr><th scope="row"><a href="#${m.anchor}">${esc(m.name)}</a></th><td>${esc(m.owner ?? "—")}</td><td>${esc(m.tier ?? "—")}</td><td>${esc(m.riskClass ?? "—")}</td>` +
        `<td><span class="badge r-${esc(m.result)}">${esc(m.result)}</span></td><td class="num">${m.controlCounts.failed}</td><td class="num">${m.controlCounts.waived}</td></tr>`,
    );
  }
  out.push("</tbody></table>");
  out.push("</section>");
  return out.join("\n");
}

const BAR_HEIGHT = 22;
const BAR_GAP = 10;
const LABEL_WIDTH = 90;
const BAR_SPACE = 360;

function modelsChart(doc: AuditDocument): string {
  const counts = doc.summary.modelsByResult;
  const max = Math.max(1, ...RESULTS.map((r) => counts[r]));
  const height = RESULTS.length * (BAR_HEIGHT + BAR_GAP) + BAR_GAP;
  const width = LABEL_WIDTH + BAR_SPACE + 100;
  const description = RESULTS.map((r) => `${counts[r]} ${r}`).join(", ");
  const bars = RESULTS.map((r, i) => {
    const y = BAR_GAP + i * (BAR_HEIGHT + BAR_GAP);
    const w = Math.round((counts[r] / max) * BAR_SPACE);
    return (
      `<text x="${LABEL_WIDTH - 8}" y="${y + BAR_HEIGHT / 2 + 4}" text-anchor="end">${r}</text>` +
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${w}" height="${BAR_HEIGHT}" fill="${FILL[r]}"/>` +
      `<text x="${LABEL_WIDTH + w + 6}" y="${y + BAR_HEIGHT / 2 + 4}">${counts[r]}</text>`
    );
  });
  return chart("chart-models", "Models by result", `A bar chart of the models by result: ${description}.`, width, height, bars.join(""));
}

function findingsChart(families: readonly FamilyCounts[]): string {
  const segments = [...SEVERITIES, "waived"] as const;
  const totals = families.map((f) => SEVERITIES.reduce((n, s) => n + f.open[s], 0) + f.waived);
  const max = Math.max(1, ...totals);
  const rows = Math.max(1, families.length);
  const legendY = BAR_GAP + rows * (BAR_HEIGHT + BAR_GAP);
  const height = legendY + 24;
  const width = LABEL_WIDTH + BAR_SPACE + 100;
  const description =
    families.length === 0
      ? "There are no findings."
      : families.map((f) => `${f.family}: ${SEVERITIES.map((s) => `${f.open[s]} open ${s}`).join(", ")}, ${f.waived} waived`).join("; ") + ".";
  const body: string[] = [];
  families.forEach((f, i) => {
    const y = BAR_GAP + i * (BAR_HEIGHT + BAR_GAP);
    body.push(`<text x="${LABEL_WIDTH - 8}" y="${y + BAR_HEIGHT / 2 + 4}" text-anchor="end">${esc(f.family)}</text>`);
    let x = LABEL_WIDTH;
    for (const segment of segments) {
      const n = segment === "waived" ? f.waived : f.open[segment];
      const w = Math.round((n / max) * BAR_SPACE);
      if (w > 0) body.push(`<rect x="${x}" y="${y}" width="${w}" height="${BAR_HEIGHT}" fill="${FILL[segment]}" stroke="#ffffff" stroke-width="1"/>`);
      x += w;
    }
    body.push(`<text x="${x + 6}" y="${y + BAR_HEIGHT / 2 + 4}">${totals[i]}</text>`);
  });
  if (families.length === 0) body.push(`<text x="${LABEL_WIDTH}" y="${BAR_GAP + BAR_HEIGHT / 2 + 4}">No findings</text>`);
  segments.forEach((segment, i) => {
    const x = LABEL_WIDTH + i * 115;
    body.push(`<rect x="${x}" y="${legendY + 4}" width="12" height="12" fill="${FILL[segment]}"/><text x="${x + 16}" y="${legendY + 14}">${segment === "waived" ? "waived" : `open ${segment}`}</text>`);
  });
  return chart("chart-findings", "Findings by family and severity", `A stacked bar chart of the findings per rule family, in the order open error, open warning, open info, waived. ${description}`, width, height, body.join(""));
}

function chart(id: string, title: string, description: string, width: number, height: number, body: string): string {
  return (
    `<figure class="chart" id="${id}">` +
    `<figcaption id="${id}-caption">${esc(title)}</figcaption>` +
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<title id="${id}-title">${esc(title)}</title><desc id="${id}-desc">${esc(description)}</desc>${body}</svg>` +
    "</figure>"
  );
}

function changes(c: AttestationChanges): string {
  const out: string[] = [];
  out.push('<section id="changes" class="changes" aria-labelledby="changes-title">');
  out.push('<h2 id="changes-title">Changes since the previous report</h2>');
  out.push(
    `<p>Compared with the attestation evaluated ${esc(c.previous.timeEvaluated)} (commit ${esc(c.previous.commit ?? "not recorded")}, result <span class="badge r-${esc(c.previous.result)}">${esc(c.previous.result)}</span>; ${esc(verificationText(c.previous.verification))}).</p>`,
  );
  if (c.repositoryUnknown) out.push('<p class="muted">Neither attestation records its repository, so that both are of the same repository could not be checked.</p>');
  out.push(nameList("Models added", c.modelsAdded));
  out.push(nameList("Models removed", c.modelsRemoved));
  if (c.resultsChanged.length > 0) {
    out.push('<table><caption>Results changed</caption><thead><tr><th scope="col">Model</th><th scope="col">Before</th><th scope="col">Now</th></tr></thead><tbody>');
    for (const r of c.resultsChanged) out.push(`<tr><th scope="row">${esc(r.name)}</th><td>${esc(r.before)}</td><td>${esc(r.after)}</td></tr>`);
    out.push("</tbody></table>");
  } else {
    out.push("<h3>Results changed</h3><p>None.</p>");
  }
  out.push(findingTable("Findings fixed", c.findingsFixed));
  out.push(findingTable("New findings", c.findingsNew));
  out.push(waiverChangeTable("Waivers added", c.waiversAdded, false));
  out.push(waiverChangeTable("Waivers expired", c.waiversExpired, false));
  out.push(waiverChangeTable("Waivers renewed", c.waiversRenewed, true));
  out.push(waiverChangeTable("Waivers removed", c.waiversRemoved, false));
  out.push("</section>");
  return out.join("\n");
}

function nameList(title: string, names: readonly string[]): string {
  return `<h3>${title}</h3>${names.length === 0 ? "<p>None.</p>" : `<ul>${names.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>`}`;
}

function findingTable(title: string, findings: readonly ChangedFinding[]): string {
  if (findings.length === 0) return `<h3>${title}</h3><p>None.</p>`;
  const rows = findings.map(
    (f) =>
      `<tr><td>${esc(f.rule)}</td><td><span class="badge s-${esc(f.severity)}">${esc(f.severity)}</span> ${esc(f.status)}</td><td>${esc(f.models.join(", ") || "—")}</td><td><code>${esc(f.location)}</code></td><td>${esc(f.message)}</td></tr>`,
  );
  return `<table><caption>${title} (${findings.length})</caption><thead><tr><th scope="col">Rule</th><th scope="col">Severity</th><th scope="col">Models</th><th scope="col">Location</th><th scope="col">Message</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function waiverChangeTable(title: string, waivers: readonly ChangedWaiver[], renewed: boolean): string {
  if (waivers.length === 0) return `<h3>${title}</h3><p>None.</p>`;
  const rows = waivers.map(
    (w) =>
      `<tr><td>${esc(w.rule ?? "any")}</td><td>${esc(w.selects)}</td><td>${esc(w.owner ?? "—")}</td><td>${esc(w.ticket ?? "—")}</td>` +
      `<td>${renewed ? `${esc(w.expiresBefore ?? "no expiry")} → ` : ""}${esc(w.expires ?? "no expiry")}</td><td><code>${esc(w.location)}</code></td></tr>`,
  );
  return `<table><caption>${title} (${waivers.length})</caption><thead><tr><th scope="col">Rule</th><th scope="col">Selects</th><th scope="col">Owner</th><th scope="col">Ticket</th><th scope="col">Expires</th><th scope="col">Written at</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function modelSection(m: AuditModel): string {
  const out: string[] = [];
  out.push(`<section id="${m.anchor}" class="model" aria-labelledby="${m.anchor}-title">`);
  out.push(`<h2 id="${m.anchor}-title">Model ${esc(m.name)} <span class="badge r-${esc(m.result)}">${esc(m.result)}</span></h2>`);
  out.push('<dl class="facts">');
  const facts: Array<[string, string]> = [
    ["Owner", m.owner ?? "not declared"],
    ["Tier", m.tier ?? "not declared"],
    ["Risk class", m.riskClass ?? "not declared"],
    ["Version", m.version ?? "not declared"],
    ["Manifest", m.manifest],
  ];
  for (const [term, value] of facts) out.push(`<dt>${term}</dt><dd>${esc(value)}</dd>`);
  out.push(`<dt>Controls</dt><dd>${(Object.keys(CONTROL_STATUS_TEXT) as ControlStatus[]).map((s) => `${m.controlCounts[s]} ${CONTROL_STATUS_TEXT[s]}`).join(", ")}</dd>`);
  out.push("</dl>");
  out.push('<table class="controls">');
  out.push(`<caption>Controls of model ${esc(m.name)} (${m.controls.length})</caption>`);
  out.push('<thead><tr><th scope="col">Control</th><th scope="col">Title</th><th scope="col">Severity</th><th scope="col">Status</th></tr></thead><tbody>');
  for (const c of m.controls) {
    out.push(`<tr><th scope="row">${esc(c.rule)}</th><td>${esc(c.title)}</td><td>${esc(c.severity)}</td><td><span class="badge s-${esc(c.status)}">${esc(CONTROL_STATUS_TEXT[c.status] ?? c.status)}</span></td></tr>`);
  }
  out.push("</tbody></table>");
  out.push(`<h3>Findings (${m.findings.length})</h3>`);
  out.push(findingList(m.findings));
  out.push(`<h3>Waivers (${m.waivers.length})</h3>`);
  out.push(waiverTable(m.waivers, `Waivers of model ${m.name}`));
  out.push("</section>");
  return out.join("\n");
}

function findingList(findings: readonly AuditFinding[]): string {
  if (findings.length === 0) return "<p>No findings: every control that applies passed.</p>";
  const items = findings.map((f) => {
    const waiver = f.waiver ? `<p>Waived by ${esc(f.waiver.owner ?? "an inline comment")}${f.waiver.ticket ? ` (${esc(f.waiver.ticket)})` : ""}, ${esc(expiryText(f.waiver))}: ${esc(f.waiver.reason ?? "")}</p>` : "";
    const shared = f.models.length > 1 ? `<p class="muted">Also affects: ${esc(f.models.join(", "))}.</p>` : "";
    return (
      `<li><p class="finding-head"><span class="badge s-${f.status === "waived" ? "waived" : esc(f.severity)}">${f.status === "waived" ? `waived ${esc(f.severity)}` : esc(f.severity)}</span> ${esc(f.rule)} ${esc(f.title)}</p>` +
      `<p>${esc(f.message)}</p><p>At <code>${esc(f.location)}</code> <span class="muted">(${esc(f.pointer || "/")})</span></p>${shared}${waiver}${evidence(f)}</li>`
    );
  });
  return `<ol class="findings">${items.join("\n")}</ol>`;
}

function evidence(f: AuditFinding): string {
  if ("gap" in f.evidence) return `<p class="gap">Evidence ${esc(EVIDENCE_GAP_TEXT[f.evidence.gap])}.</p>`;
  if (f.evidence.lines.length === 0) return '<p class="gap">Evidence not shown: the attested file has no such line.</p>';
  const lines = f.evidence.lines.map((l) => {
    const text = `<span class="ln">${l.number}</span>${esc(l.text)}`;
    return l.target ? `<mark>${text}</mark>` : text;
  });
  return `<pre class="evidence" aria-label="Evidence: lines ${f.evidence.lines[0]!.number} to ${f.evidence.lines.at(-1)!.number} of the attested file; the finding's line is highlighted"><code>${lines.join("\n")}</code></pre>`;
}

function waiverTable(waivers: readonly AuditWaiver[], caption: string): string {
  if (waivers.length === 0) return "<p>None.</p>";
  const rows = waivers.map(
    (w) =>
      `<tr><td>${esc(w.rule ?? "any")}</td><td><span class="badge s-${w.status === "expired" ? "failed" : "waived"}">${w.status}</span></td><td>${esc(w.owner ?? "— (inline)")}</td><td>${esc(w.reason ?? "—")}</td>` +
      `<td>${esc(w.ticket ?? "—")}</td><td>${esc(expiryText(w))}</td><td class="num">${w.findings}</td><td><code>${esc(w.location)}</code></td></tr>`,
  );
  return (
    `<table class="waivers"><caption>${esc(caption)}</caption><thead><tr><th scope="col">Rule</th><th scope="col">Status</th><th scope="col">Owner</th><th scope="col">Reason</th><th scope="col">Ticket</th><th scope="col">Expires</th><th scope="col" class="num">Findings</th><th scope="col">Written at</th></tr></thead><tbody>${rows.join("")}</tbody></table>` +
    `<p class="muted">${esc(ABOUT_EXPIRY)}</p>`
  );
}

function unowned(doc: AuditDocument): string {
  const out: string[] = [];
  out.push('<section id="unowned" class="unowned" aria-labelledby="unowned-title">');
  out.push('<h2 id="unowned-title">Files no model owns</h2>');
  out.push(`<h3>Findings (${doc.unownedFindings.length})</h3>`);
  out.push(findingList(doc.unownedFindings));
  out.push(`<h3>Other expired waivers (${doc.otherWaivers.length})</h3>`);
  out.push(waiverTable(doc.otherWaivers, "Expired waivers of no listed model"));
  out.push("</section>");
  return out.join("\n");
}

function appendix(doc: AuditDocument): string {
  const out: string[] = [];
  out.push('<section id="appendix" class="appendix" aria-labelledby="appendix-title">');
  out.push('<h2 id="appendix-title">Appendix: input files</h2>');
  out.push(`<p>${esc(ABOUT_EVIDENCE(doc.evidenceRoot))}</p>`);
  out.push('<table class="files">');
  out.push(`<caption>Every file the run found (${doc.files.length})</caption>`);
  out.push('<thead><tr><th scope="col">Path</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">sha256</th></tr></thead><tbody>');
  for (const f of doc.files) {
    out.push(
      `<tr><th scope="row"><code>${esc(f.path)}</code></th><td>${esc(f.kind)}</td><td>${esc(f.status)}${f.reason ? `: ${esc(f.reason)}` : ""}</td><td class="digest">${esc(f.sha256 ?? "— (took no part in the run)")}</td></tr>`,
    );
  }
  out.push("</tbody></table>");
  out.push('<table class="artefacts">');
  out.push("<caption>Policy modules that ran (not files in the repository)</caption>");
  out.push('<thead><tr><th scope="col">Name</th><th scope="col">sha256</th></tr></thead><tbody>');
  for (const a of doc.artefacts) out.push(`<tr><th scope="row"><code>${esc(a.name)}</code></th><td class="digest">${esc(a.sha256)}</td></tr>`);
  out.push("</tbody></table>");
  out.push("</section>");
  return out.join("\n");
}

/** Text for HTML content and double-quoted attributes. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
