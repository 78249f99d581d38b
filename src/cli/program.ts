// The commands. Each is a thin adapter over a pipeline function the tests also call: parse flags,
// run, write the outputs, return the exit code. Results go to stdout, diagnostics to stderr.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command, CommanderError, Option } from "commander";
import type { FailOn } from "../config/index.js";
import { DiagnosticError, diagnostic, formatDiagnostic, sortDiagnostics } from "../diagnostics.js";
import { obsgateVersion, readInputs, runCheck } from "../pipeline.js";
import { builtinOutDir } from "../policy/build-builtin.js";
import { FORMATS, isFormatName, type FormatName } from "../report/formats.js";
import type { Diagnostic } from "../types.js";
import { locate } from "../schema/index.js";
import { pairFormatsWithOutputs, writeFileAtomic } from "./output.js";

export const EXIT = { ok: 0, findings: 1, diagnostic: 2 } as const;

export interface Io {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdoutIsTTY: boolean;
  writeOut(text: string): void;
  writeErr(text: string): void;
}

const FAIL_ON: FailOn[] = ["error", "warning", "info", "never"];

export function versionText(): string {
  let policies = "policies: builtin (not built)";
  try {
    const meta = JSON.parse(readFileSync(join(builtinOutDir(), "policy.json"), "utf8")) as { sha256: string; opaVersion: string };
    policies = `policies: builtin ${obsgateVersion()} sha256:${meta.sha256}\nopa: ${meta.opaVersion} (compiled the built-in policies)`;
  } catch {
    // Reported as "not built" above; `check` names the problem precisely when it needs the bundle.
  }
  return `obsgate ${obsgateVersion()}\n${policies}`;
}

/** Runs one command line (without `node` and the script) and returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command("obsgate")
    .description("Check the observability of machine-learning models against policy")
    .version(versionText(), "-V, --version", "print obsgate's and the built-in policies' versions")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.writeOut(text),
      writeErr: () => {},
      outputError: () => {},
    })
    .showSuggestionAfterError(true);

  program
    .command("check")
    .description("check model manifests, rules and configs under PATHs; exit 1 on open findings at or above --fail-on")
    .argument("[paths...]", "files or folders to check (default: .)")
    .option("-c, --config <file>", "configuration file (default: .obsgate.yaml from here up to the git root)")
    .addOption(new Option("-f, --format <format>", "output format; repeat for several").choices(Object.keys(FORMATS)))
    .option("-o, --output <file>", "write the --format before it to FILE instead of stdout")
    .addOption(new Option("--fail-on <severity>", "lowest severity that fails the run").choices(FAIL_ON))
    .option("-p, --policy <file.wasm>", "also evaluate this compiled policy (repeatable)", collect, [])
    .action(async (paths: string[], options: { config?: string; failOn?: FailOn; policy: string[] }, command: Command) => {
      const targets = pairFormatsWithOutputs<FormatName>(commandArgs(argv, command), isFormatName, "text");
      const { report } = await runCheck({ paths, cwd: io.cwd, config: options.config, failOn: options.failOn, policies: options.policy });
      for (const target of targets) {
        const toStdout = target.file === null;
        const color = toStdout && io.stdoutIsTTY && !io.env.NO_COLOR;
        const text = FORMATS[target.format](report, { color });
        if (toStdout) io.writeOut(text);
        else writeFileAtomic(resolve(io.cwd, target.file!), text);
      }
      exitCode = report.result === "failed" ? EXIT.findings : EXIT.ok;
    });

  program
    .command("inspect")
    .description("show what obsgate reads under PATHs: each file's kind and status, and the models found")
    .argument("[paths...]", "files or folders (default: .)")
    .option("-c, --config <file>", "configuration file")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (paths: string[], options: { config?: string; format: "text" | "json" }) => {
      const inputs = await readInputs({ paths, cwd: io.cwd, config: options.config });
      const view = {
        files: inputs.files.map((f) => ({ path: f.path, kind: f.kind, status: f.status, ...(f.reason ? { reason: f.reason } : {}) })),
        models: inputs.reportModels.map((m) => ({ name: m.name, version: m.version, file: m.file, line: m.line })),
        rules: inputs.rules.map(({ rule, models }) => ({
          file: rule.doc.file,
          ...locate(rule.doc.sourceMap, rule.pointer),
          group: rule.rule.group,
          name: rule.rule.alert ?? rule.rule.record,
          type: rule.rule.type,
          expr: rule.rule.expr,
          metrics: rule.rule.query?.metrics ?? [],
          ...(models.length === 1 ? { model: models[0] } : models.length > 1 ? { models } : {}),
        })),
      };
      if (options.format === "json") io.writeOut(JSON.stringify(view, null, 2) + "\n");
      else {
        for (const f of view.files) io.writeOut(`${f.status.padEnd(9)} ${f.kind.padEnd(24)} ${f.path}${f.reason ? `  (${f.reason})` : ""}\n`);
        for (const m of view.models) io.writeOut(`model ${m.name} ${m.version ?? "(no version)"} ${m.file}:${m.line}\n`);
        for (const r of view.rules) io.writeOut(`${r.type ?? "rule"} ${r.name ?? "(unnamed)"} ${r.file}:${r.line}:${r.column}${"model" in r ? ` model ${r.model}` : ""}\n`);
      }
    });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    return reportFailure(error, argv, io);
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The arguments after the subcommand's name, as typed, to pair --format with --output in order. */
function commandArgs(argv: readonly string[], command: Command): string[] {
  const at = argv.indexOf(command.name());
  return at === -1 ? [...argv] : argv.slice(at + 1);
}

function reportFailure(error: unknown, argv: readonly string[], io: Io): number {
  if (error instanceof CommanderError) {
    if (error.code === "commander.version" || error.code === "commander.helpDisplayed" || error.code === "commander.help") return EXIT.ok;
    const message = error.message.replace(/^error: /, "").replace(/\n/g, " ");
    const offending = argv.findIndex((arg) => message.includes(`'${arg}'`) || message.includes(`'${arg.split("=")[0]}'`));
    printDiagnostics([diagnostic("usage_error", `${message} (see obsgate --help)`, "<command-line>", 1, offending + 1 || 1)], io);
    return EXIT.diagnostic;
  }
  if (error instanceof DiagnosticError) {
    printDiagnostics(error.diagnostics, io);
    return EXIT.diagnostic;
  }
  const detail = io.env.OBSGATE_DEBUG && error instanceof Error ? `\n${error.stack}` : "";
  printDiagnostics(
    [diagnostic("internal_error", `${error instanceof Error ? error.message : String(error)} (this is a bug in obsgate; rerun with OBSGATE_DEBUG=1 for details)${detail}`)],
    io,
  );
  return EXIT.diagnostic;
}

function printDiagnostics(diagnostics: readonly Diagnostic[], io: Io): void {
  for (const d of sortDiagnostics(diagnostics)) io.writeErr(formatDiagnostic(d) + "\n");
}

