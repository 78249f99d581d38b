// The audit document as GitHub-flavoured Markdown, for a ticket: the HTML document's content in
// the same order, without the charts (their data tables stay). Every text from the attestation is
// escaped so that it cannot break a table, start a link or emphasis, or inject HTML.
import type { ControlStatus } from "../attest/index.js";
import { cell } from "../report/markdown.js";
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
} from "./document.js";
import { ABOUT_EVIDENCE, ABOUT_EXPIRY, coverFacts, signerText, summaryText, UNVERIFIED_WARNING, verificationText } from "./text.js";

/** The whole document, deterministic for the same AuditDocument. */
export function renderMarkdown(doc: AuditDocument): string {
  const blocks: string[] = [];
  if (!doc.verification.verified) blocks.push(`> **${md(UNVERIFIED_WARNING)}**`);
  blocks.push("# Observability compliance audit");
  const c = doc.cover;
  blocks.push(`**Result: ${c.result}** (runs fail on open findings of severity ${md(c.failOn)} and above)`);
  blocks.push(
    table(
      ["Fact", "Value"],
      [
        ...coverFacts(doc).map(([term, value, mono]) => [term, mono ? code(value) : md(value)]),
        ["Signer", md(signerText(doc.verification))],
        ["Verification", md(verificationText(doc.verification))],
      ],
    ),
  );
  blocks.push("Policy sets that ran:");
  blocks.push(table(["Policy set", "sha256", "OPA version"], c.policySets.map((p) => [md(p.name), code(p.sha256), md(p.opaVersion ?? "not recorded")])));

  const s = doc.summary;
  blocks.push("## Executive summary");
  blocks.push(md(summaryText(doc)));
  blocks.push("Models by result:");
  blocks.push(table(["Result", "Models"], RESULTS.map((r) => [r, String(s.modelsByResult[r])])));
  blocks.push("Findings by family and severity:");
  blocks.push(
    s.findingsByFamily.length === 0
      ? "No findings."
      : table(["Family", ...SEVERITIES.map((sev) => `Open ${sev}`), "Waived"], s.findingsByFamily.map((f) => [md(f.family), ...SEVERITIES.map((sev) => String(f.open[sev])), String(f.waived)])),
  );
  blocks.push("Models:");
  blocks.push(
    table(
      ["Model", "Owner", "Tier", "Risk class", "Result", "Controls failed", "Controls waived"],
      doc.models.map((m) => [md(m.name), md(m.owner ?? "—"), md(m.tier ?? "—"), md(m.riskClass ?? "—"), m.result, String(m.controlCounts.failed), String(m.controlCounts.waived)]),
    ),
  );

  if (doc.changes) blocks.push(...changes(doc.changes));
  for (const model of doc.models) blocks.push(...modelBlocks(model));
  if (doc.unownedFindings.length > 0 || doc.otherWaivers.length > 0) {
    blocks.push("## Files no model owns");
    blocks.push(`### Findings (${doc.unownedFindings.length})`);
    blocks.push(findingList(doc.unownedFindings));
    blocks.push(`### Other expired waivers (${doc.otherWaivers.length})`);
    blocks.push(...waiverTable(doc.otherWaivers));
  }

  blocks.push("## Appendix: input files");
  blocks.push(md(ABOUT_EVIDENCE(doc.evidenceRoot)));
  blocks.push(
    table(
      ["Path", "Kind", "Status", "sha256"],
      doc.files.map((f) => [code(f.path), md(f.kind), md(`${f.status}${f.reason ? `: ${f.reason}` : ""}`), f.sha256 === null ? "— (took no part in the run)" : code(f.sha256)]),
    ),
  );
  blocks.push("Policy modules that ran (not files in the repository):");
  blocks.push(table(["Name", "sha256"], doc.artefacts.map((a) => [code(a.name), code(a.sha256)])));
  if (!doc.verification.verified) blocks.push(`> **${md(UNVERIFIED_WARNING)}**`);
  return `${blocks.join("\n\n")}\n`;
}

function changes(c: AttestationChanges): string[] {
  const blocks = ["## Changes since the previous report"];
  blocks.push(
    `Compared with the attestation evaluated ${md(c.previous.timeEvaluated)} (commit ${c.previous.commit === null ? "not recorded" : code(c.previous.commit)}, result ${c.previous.result}; ${md(verificationText(c.previous.verification))}).`,
  );
  if (c.repositoryUnknown) blocks.push("Neither attestation records its repository, so that both are of the same repository could not be checked.");
  const names = (title: string, list: readonly string[]) => [`### ${title}`, list.length === 0 ? "None." : list.map((n) => `- ${md(n)}`).join("\n")];
  blocks.push(...names("Models added", c.modelsAdded), ...names("Models removed", c.modelsRemoved));
  blocks.push("### Results changed", c.resultsChanged.length === 0 ? "None." : table(["Model", "Before", "Now"], c.resultsChanged.map((r) => [md(r.name), r.before, r.after])));
  blocks.push(...findingTable("Findings fixed", c.findingsFixed), ...findingTable("New findings", c.findingsNew));
  blocks.push(...waiverChangeTable("Waivers added", c.waiversAdded, false), ...waiverChangeTable("Waivers expired", c.waiversExpired, false));
  blocks.push(...waiverChangeTable("Waivers renewed", c.waiversRenewed, true), ...waiverChangeTable("Waivers removed", c.waiversRemoved, false));
  return blocks;
}

function findingTable(title: string, findings: readonly ChangedFinding[]): string[] {
  if (findings.length === 0) return [`### ${title}`, "None."];
  return [
    `### ${title} (${findings.length})`,
    table(["Rule", "Severity", "Models", "Location", "Message"], findings.map((f) => [md(f.rule), `${f.severity} ${f.status}`, md(f.models.join(", ") || "—"), code(f.location), md(f.message)])),
  ];
}

function waiverChangeTable(title: string, waivers: readonly ChangedWaiver[], renewed: boolean): string[] {
  if (waivers.length === 0) return [`### ${title}`, "None."];
  return [
    `### ${title} (${waivers.length})`,
    table(
      ["Rule", "Selects", "Owner", "Ticket", "Expires", "Written at"],
      waivers.map((w) => [md(w.rule ?? "any"), md(w.selects), md(w.owner ?? "—"), md(w.ticket ?? "—"), md(`${renewed ? `${w.expiresBefore ?? "no expiry"} → ` : ""}${w.expires ?? "no expiry"}`), code(w.location)]),
    ),
  ];
}

function modelBlocks(m: AuditModel): string[] {
  const blocks = [`## Model ${md(m.name)}: ${m.result}`];
  blocks.push(
    table(
      ["Owner", "Tier", "Risk class", "Version", "Manifest"],
      [[md(m.owner ?? "not declared"), md(m.tier ?? "not declared"), md(m.riskClass ?? "not declared"), md(m.version ?? "not declared"), code(m.manifest)]],
    ),
  );
  blocks.push(`Controls: ${(Object.keys(CONTROL_STATUS_TEXT) as ControlStatus[]).map((s) => `${m.controlCounts[s]} ${CONTROL_STATUS_TEXT[s]}`).join(", ")}.`);
  blocks.push(table(["Control", "Title", "Severity", "Status"], m.controls.map((c) => [md(c.rule), md(c.title), c.severity, CONTROL_STATUS_TEXT[c.status]])));
  blocks.push(`### Findings (${m.findings.length})`);
  blocks.push(m.findings.length === 0 ? "No findings: every control that applies passed." : findingList(m.findings));
  blocks.push(`### Waivers (${m.waivers.length})`);
  blocks.push(...waiverTable(m.waivers));
  return blocks;
}

function findingList(findings: readonly AuditFinding[]): string {
  return findings
    .map((f, i) => {
      const indent = " ".repeat(`${i + 1}. `.length);
      const lines = [`${i + 1}. **${f.status === "waived" ? `waived ${f.severity}` : f.severity}** ${md(f.rule)} ${md(f.title)}: ${md(f.message)}`];
      lines.push(`${indent}At ${code(f.location)} (${code(f.pointer || "/")})${f.models.length > 1 ? `; also affects ${md(f.models.join(", "))}` : ""}.`);
      if (f.waiver) lines.push(`${indent}Waived by ${md(f.waiver.owner ?? "an inline comment")}${f.waiver.ticket ? ` (${md(f.waiver.ticket)})` : ""}, ${md(expiryText(f.waiver))}: ${md(f.waiver.reason ?? "")}`);
      if ("gap" in f.evidence) lines.push(`${indent}*Evidence ${md(EVIDENCE_GAP_TEXT[f.evidence.gap])}.*`);
      else if (f.evidence.lines.length === 0) lines.push(`${indent}*Evidence not shown: the attested file has no such line.*`);
      else {
        const text = f.evidence.lines.map((l) => `${l.target ? ">" : " "}${String(l.number).padStart(5)} | ${l.text}`);
        const fence = "`".repeat(Math.max(3, longestRun(text.join("\n"), "`") + 1));
        lines.push("", `${indent}${fence}text`, ...text.map((t) => `${indent}${t}`), `${indent}${fence}`);
      }
      return lines.join("\n");
    })
    .join("\n");
}

function waiverTable(waivers: readonly AuditWaiver[]): string[] {
  if (waivers.length === 0) return ["None."];
  return [
    table(
      ["Rule", "Status", "Owner", "Reason", "Ticket", "Expires", "Findings", "Written at"],
      waivers.map((w) => [md(w.rule ?? "any"), w.status, md(w.owner ?? "— (inline)"), md(w.reason ?? "—"), md(w.ticket ?? "—"), md(expiryText(w)), String(w.findings), code(w.location)]),
    ),
    md(ABOUT_EXPIRY),
  ];
}

function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

/** Text from the attestation: a table cell's escaping, plus what would start emphasis, a link, code or a heading. */
export function md(text: string): string {
  return cell(text).replace(/[`*_[\]#~!]/g, "\\$&");
}

/** A path, digest or location as inline code that no backtick or pipe in it can end. */
export function code(text: string): string {
  const flat = text.replace(/\r\n|\r|\n/g, " ").replace(/\|/g, "\\|");
  const ticks = "`".repeat(longestRun(flat, "`") + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}
