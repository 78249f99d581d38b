// The audit report in a real browser (issue 9): Debian's Chromium, driven by playwright-core with
// its executablePath, opens the HTML report of the example fleet from disk. No console error, no
// request beyond the file itself; the cover, every model section and every chart are present and
// visible; it prints to PDF (a page per model at least); with --unverified the banner shows on
// screen and, in print, in a margin box of every page. Skips without /usr/bin/chromium unless CI requires
// `browser`. `OBSGATE_UPDATE_SCREENSHOT=1` also writes docs/images/audit-report.png from this run.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../helpers/cli.js";
import { describeWith } from "../helpers/require.js";
import { attest, ED25519, obsgate, scratch, signedFleet, statementOf, UNTRUSTED_KEY, type SignedFleet } from "../audit/fleet.js";

const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOT = join(PACKAGE_ROOT, "docs", "images", "audit-report.png");

describeWith(["browser"], "the HTML audit report in Chromium", () => {
  let browser: Browser;
  let fleet: SignedFleet;
  let envelope: string;
  let report: string;
  let unverified: string;

  beforeAll(async () => {
    fleet = await signedFleet();
    const { repo, out } = fleet;
    envelope = fleet.envelope;
    report = join(out, "report.html");
    expect((await obsgate(repo, ["report", envelope, "--key", ED25519.publicKey, "--format", "html", "-o", report, "--root", "."])).status).toBe(0);
    const untrusted = await attest(repo, out, { key: UNTRUSTED_KEY, name: "untrusted.dsse.json" });
    unverified = join(out, "unverified.html");
    expect((await obsgate(repo, ["report", untrusted, "--unverified", "--format", "html", "-o", unverified])).status).toBe(0);
    // As root (CI containers), Chromium's sandbox cannot start.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ["--no-sandbox"] : [] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    fleet?.remove();
  });

  /** Opens a file, recording console errors, page errors and every request. */
  async function open(file: string): Promise<{ page: Page; problems: string[]; requests: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1500 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("request", (request) => requests.push(request.url()));
    page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()}`));
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    return { page, problems, requests };
  }

  it("shows the cover, every model section and every chart, with no error and no request beyond the file", async () => {
    const { page, problems, requests } = await open(report);
    const statement = statementOf(envelope);
    await expect.poll(() => page.title()).toBe("Observability compliance audit: https://github.com/acme/models.git");

    const cover = page.locator("#cover");
    expect(await cover.isVisible()).toBe(true);
    expect(await cover.locator("h1").textContent()).toBe("Observability compliance audit");
    expect(await cover.locator(".result .badge").textContent()).toBe(statement.predicate.result);
    expect(await cover.textContent()).toContain(statement.predicate.source.commit!);

    const sections = page.locator("section.model");
    expect(await sections.count()).toBe(statement.predicate.models.length);
    for (const [i, model] of statement.predicate.models.entries()) {
      const section = page.locator(`#model-${i + 1}`);
      await section.scrollIntoViewIfNeeded();
      expect(await section.isVisible(), model.name).toBe(true);
      const heading = section.locator("h2");
      expect(await heading.isVisible()).toBe(true);
      expect(await heading.textContent()).toBe(`Model ${model.name} ${model.result}`);
      expect(await section.locator("table.controls tbody tr").count()).toBe(model.controls.length);
    }

    const charts = page.locator("figure.chart svg[role=img]");
    expect(await charts.count()).toBe(2);
    for (const id of ["chart-models", "chart-findings"]) {
      const chart = page.locator(`#${id} svg`);
      await chart.scrollIntoViewIfNeeded();
      expect(await chart.isVisible(), id).toBe(true);
      const box = await chart.boundingBox();
      expect(box!.width).toBeGreaterThan(200);
      expect(box!.height).toBeGreaterThan(50);
      // Bars were drawn, and the chart is named for assistive technology.
      expect(await chart.locator("rect").count()).toBeGreaterThan(2);
      expect(await page.getByRole("img", { name: id === "chart-models" ? "Models by result" : "Findings by family and severity" }).count()).toBe(1);
    }
    // Evidence was quoted from the files under --root.
    expect(await page.locator("pre.evidence mark").count()).toBeGreaterThan(50);

    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(report).href]);

    const shots = scratch();
    await page.evaluate(() => window.scrollTo(0, 0));
    const png = await page.screenshot({ path: join(shots, "report.png") });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(20_000);
    if (process.env.OBSGATE_UPDATE_SCREENSHOT === "1") {
      mkdirSync(join(SCREENSHOT, ".."), { recursive: true });
      writeFileSync(SCREENSHOT, png);
    }
    const pdf = await page.pdf({ path: join(shots, "report.pdf"), format: "A4", printBackground: true });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf.subarray(-8).toString("latin1")).toMatch(/%%EOF\s*$/);
    // A page break before each model section, the summary and the appendix: at least that many pages.
    expect(pageCount(pdf)).toBeGreaterThanOrEqual(statement.predicate.models.length + 3);
    expect(readFileSync(join(shots, "report.pdf")).equals(pdf)).toBe(true);
    await page.close();
  });

  it("with --unverified, shows the banner on screen and in the margin of every printed page", async () => {
    const { page, problems } = await open(unverified);
    const banner = page.locator(".unverified");
    expect(await banner.count()).toBe(1);
    expect(await banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toMatch(/^UNVERIFIED: .*signature was NOT checked/);
    // Sticky: still in view after scrolling to the last model.
    await page.locator("#model-9").scrollIntoViewIfNeeded();
    const box = await banner.boundingBox();
    expect(box!.y).toBeLessThanOrEqual(1);
    // In print, a margin box of every page repeats it: Chromium parsed and kept it (an at-rule it did not know would be dropped).
    const rules = await page.evaluate(() => [...document.styleSheets].flatMap((sheet) => [...sheet.cssRules].map((rule) => rule.cssText)).join("\n"));
    expect(rules).toMatch(/@page \{[^]*@bottom-left \{[^}]*content: "UNVERIFIED: this report was made with --unverified\.[^}]*background: rgb\(139, 0, 0\)/);
    expect(rules).toMatch(/@top-left \{[^}]*content: "obsgate audit report · [^"]*SIGNATURE NOT CHECKED"/);
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(problems).toEqual([]);
    await page.close();
  });
});

/** Pages in a PDF: its page objects (`/Type /Page`, not `/Pages`). */
function pageCount(pdf: Buffer): number {
  return pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}
