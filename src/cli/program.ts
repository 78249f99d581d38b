// The commands. Each is a thin adapter over a pipeline function the tests also call: parse flags,
// run, write the outputs, return the exit code. Results go to stdout, diagnostics to stderr.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { parseInstant } from "../clock.js";
import type { FailOn } from "../config/index.js";
import { DiagnosticError, diagnostic, formatDiagnostic, sortDiagnostics } from "../diagnostics.js";
import { obsgateVersion, readInputs, runCheck } from "../pipeline.js";
import { buildPolicy } from "../policy-build.js";
import { formatPolicyTests, runPolicyTests } from "../policy-test.js";
import { builtinOutDir } from "../policy/build-builtin.js";
import { FORMATS, isFormatName, type FormatName } from "../report/formats.js";
import type { Diagnostic } from "../types.js";
import { locate } from "../schema/index.js";
import { pairFormatsWithOutputs, writeFileAtomic, writeNewFileAtomic } from "./output.js";
import { describeInit, planInit } from "../init.js";
import { TIERS, type Tier } from "../model/params.js";
import { explainRule, formatRulesJson, formatRulesText, ruleCatalogueEntries } from "../rule-catalogue.js";
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from "../attest/index.js";
import { durationSeconds } from "../model/duration.js";
import { AUDIT_FORMATS } from "../audit/index.js";
import { reportCommand, type ReportFlags } from "./report-command.js";
import { gateCommand, keygen, readSigningKey, signedAttestation, SIGNING_KEY_ENV, verifyCommand, type GateFlags, type VerifyFlags } from "./attestation.js";

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
    .option("--waivers <file>", "waivers file (default: the config's `waivers`, else waivers.yaml at the repository root)")
    .addOption(new Option("--now <time>", "the time that judges every expiry, ISO 8601 (2026-05-01 or 2026-05-01T12:00:00Z; default: now)").argParser(nowOption))
    .option("-p, --policy <path>", "also evaluate this policy: a folder of .rego, a .wasm or a bundle.tar.gz (repeatable)", collect, [])
    .option("-d, --data <file>", "JSON or YAML merged into `data` for users' policies (repeatable)", collect, [])
    .option("--changed-since <ref>", "evaluate everything, but only findings in models or files changed since this git ref (committed, staged, unstaged or new) fail the run; the others are reported as pre-existing")
    .option("--attestation <file>", "also write a signed in-toto attestation of the run (a DSSE envelope) to FILE (docs/provenance.md)")
    .option("--sign-key <file>", `the private key that signs --attestation: PEM PKCS#8, JWK or JWKS, ES256 or Ed25519 (default: the key in ${SIGNING_KEY_ENV})`)
    .action(async (paths: string[], options: { config?: string; failOn?: FailOn; policy: string[]; data: string[]; waivers?: string; now?: Date; changedSince?: string; attestation?: string; signKey?: string }, command: Command) => {
      const targets = pairFormatsWithOutputs<FormatName>(commandArgs(argv, command), isFormatName, "text");
      if (options.signKey !== undefined && options.attestation === undefined) {
        throw new DiagnosticError(diagnostic("usage_error", "--sign-key signs an attestation: give --attestation FILE too"));
      }
      // The key is read before the run: a bad key stops it at once, with nothing written.
      const key = options.attestation === undefined ? null : await readSigningKey(options.signKey, io);
      const checked = await runCheck({ paths, cwd: io.cwd, config: options.config, failOn: options.failOn, policies: options.policy, data: options.data, env: io.env, waivers: options.waivers, now: options.now, changedSince: options.changedSince, digests: key !== null });
      const { report } = checked;
      // Signed before any output is written (git must see the tree as the run found it), written after them.
      const envelope = key === null ? null : signedAttestation(checked, key, io.env);
      for (const target of targets) {
        const toStdout = target.file === null;
        const color = toStdout && io.stdoutIsTTY && !io.env.NO_COLOR;
        const text = FORMATS[target.format](report, { color });
        if (toStdout) io.writeOut(text);
        else writeFileAtomic(resolve(io.cwd, target.file!), text);
      }
      if (envelope !== null) writeFileAtomic(resolve(io.cwd, options.attestation!), envelope);
      exitCode = report.result === "failed" ? EXIT.findings : EXIT.ok;
    });

  program
    .command("keygen")
    .description("write a signing key pair for --attestation: DIR/obsgate.key (private, mode 0600), obsgate.pub and obsgate.jwks.json; print its keyid; never overwrites")
    .addOption(new Option("--alg <alg>", "the key's algorithm: ES256 (ECDSA P-256) or EdDSA (Ed25519)").choices([...SIGNING_ALGORITHMS]).makeOptionMandatory())
    .requiredOption("--out <dir>", "the folder to write the three files in")
    .action(async (options: { alg: SigningAlgorithm; out: string }) => {
      await keygen(options, io);
    });

  const ROOT_HELP = "also re-hash every file subject under DIR (the repository root the attestation was made in)";
  const pinOptions = (command: Command, rootHelp = ROOT_HELP) =>
    command
      .addOption(new Option("--key <file>", "the trusted public key: PEM (SPKI) or JWK").conflicts("jwks"))
      .option("--jwks <file>", "the trusted public keys, as a JWKS (several, for rotation)")
      .option("--root <dir>", rootHelp);

  pinOptions(
    program
      .command("verify")
      .description("verify a signed attestation against pinned keys; exit 0 valid, 1 refused (the reason on stderr), 2 usage error")
      .argument("<envelope>", "the DSSE envelope written by check --attestation"),
  ).action(async (envelope: string, options: VerifyFlags) => {
    exitCode = await verifyCommand(envelope, options, io);
  });

  pinOptions(
    program
      .command("gate")
      .description("the deploy gate: verify the attestation, then pass only a PASSED result for the exact files being deployed; exit 0 passed, 1 refused, 2 usage error")
      .argument("<envelope>", "the DSSE envelope written by check --attestation"),
    `${ROOT_HELP}, and require every manifest, rule file and backend config of the gated models under DIR to be a subject with its digest`,
  )
    .option("--allow-warnings", "let a WARNED result through (FAILED never passes)")
    .addOption(new Option("--max-age <duration>", "refuse an attestation evaluated longer ago than this (e.g. 7d, 12h)").argParser(maxAgeOption))
    .addOption(new Option("--commit <sha>", "the commit being deployed (full id, e.g. $GITHUB_SHA): the attestation must be for it, from a clean tree").argParser(commitOption))
    .option("--model <name>", "judge only this model's result and files (repeatable; default: the whole run)", collect, [])
    .addOption(new Option("--policy-digest <sha256>", "an allowed policy bundle digest (repeatable; default: any)").argParser(collectDigest).default([]))
    .addOption(new Option("--now <time>", "the gate's clock for --max-age and the future-time check, ISO 8601 (default: now)").argParser(nowOption))
    .action(async (envelope: string, options: GateFlags) => {
      exitCode = await gateCommand(envelope, options, io);
    });

  pinOptions(
    program
      .command("report")
      .description("render a verified attestation as an audit document (docs/audit-report.md); exit 0 written, 1 refused (the reason on stderr, nothing written), 2 usage error")
      .argument("<envelope>", "the DSSE envelope written by check --attestation"),
    "quote each finding's lines from the file under DIR (the repository root the attestation was made in), when its sha256 is the attested one",
  )
    .addOption(new Option("-f, --format <format>", "the document's format").choices([...AUDIT_FORMATS]).makeOptionMandatory())
    .requiredOption("-o, --output <file>", "the file to write (replaced whole, never half-written)")
    .option("--previous <envelope>", "an earlier attestation of the same repository, verified the same way: add what changed since")
    .addOption(new Option("--unverified", "render without checking the signature; every page then says so").conflicts(["key", "jwks"]))
    .action(async (envelope: string, options: ReportFlags) => {
      exitCode = await reportCommand(envelope, options, io);
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

  program
    .command("rules")
    .description("list every rule: id, severity, family, whether it can be waived, title (json: all metadata and parameter defaults)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("-p, --policy <path>", "also list the rules of this policy (repeatable)", collect, [])
    .action(async (options: { format: "text" | "json"; policy: string[] }) => {
      const rules = await ruleCatalogueEntries({ cwd: io.cwd, policies: options.policy, env: io.env });
      io.writeOut(options.format === "json" ? formatRulesJson(rules) : formatRulesText(rules));
    });

  program
    .command("explain")
    .description("print a rule's documentation page (docs/rules/<ID>.md)")
    .argument("<id>", "the rule id, e.g. ALR-006")
    .option("-p, --policy <path>", "also look among the rules of this policy (repeatable)", collect, [])
    .action(async (id: string, options: { policy: string[] }) => {
      const rules = await ruleCatalogueEntries({ cwd: io.cwd, policies: options.policy, env: io.env });
      io.writeOut(explainRule(id, rules, io.cwd, argv.indexOf(id) + 1 || 1));
    });

  program
    .command("init")
    .description("write a commented .obsgate.yaml at the repository root and, for a PATH, a model manifest skeleton there; never overwrites a file")
    .argument("[path]", "a manifest file (.yaml) or a folder for <folder>/<name>.obsgate.yaml")
    .option("--name <name>", "the model's name (default: from PATH)")
    .option("--owner <team>", "the team that owns the model", "my-team")
    .addOption(new Option("--tier <tier>", "the model's tier").choices([...TIERS]).default("standard"))
    .option("--no-config", "write only the manifest skeleton")
    .action((path: string | undefined, options: { name?: string; owner: string; tier: Tier; config: boolean }) => {
      const files = planInit({ cwd: io.cwd, path, config: options.config, name: options.name, owner: options.owner, tier: options.tier });
      if (files.length === 0) throw new DiagnosticError(diagnostic("usage_error", "nothing to write: --no-config needs a PATH for the manifest"));
      for (const file of files) writeNewFileAtomic(file.absolute, file.content, file.path);
      io.writeErr(describeInit(files));
    });

  const policy = program.command("policy").description("build and test your own Rego policies (docs/writing-policies.md)");

  policy
    .command("build")
    .description("compile a folder of .rego to a .wasm that `obsgate check --policy` and @open-policy-agent/opa-wasm load as it is")
    .argument("<dir>", "the policy folder (its _test.rego files are left out)")
    .requiredOption("-o, --output <file>", "the .wasm to write")
    .option("-e, --entrypoint <path>", "an entry point as pkg/path/rule (repeatable; default: obsgate/findings and obsgate/metadata)", collect, [])
    .action(async (dir: string, options: { output: string; entrypoint: string[] }) => {
      const built = await buildPolicy({ dir, cwd: io.cwd, entrypoints: options.entrypoint, env: io.env });
      writeFileAtomic(resolve(io.cwd, options.output), built.wasm);
      io.writeErr(`wrote ${options.output}: ${built.wasm.length} bytes, compiled by OPA ${built.opaVersion}, entry points ${built.entrypoints.join(", ")}\n`);
    });

  policy
    .command("test")
    .description("run a policy folder's Rego unit tests (opa test) and its examples/<case>/ through the Wasm path; exit 1 on any failure")
    .argument("<dir>", "the policy folder")
    .option("-d, --data <file>", "JSON or YAML data for the tests and every example (repeatable)", collect, [])
    .option("-v, --verbose", "list the tests that pass too")
    .action(async (dir: string, options: { data: string[]; verbose?: boolean }) => {
      const result = await runPolicyTests({ dir, cwd: io.cwd, data: options.data, env: io.env });
      io.writeOut(formatPolicyTests(result, options.verbose === true));
      exitCode = result.failed > 0 ? EXIT.findings : EXIT.ok;
    });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    return reportFailure(error, argv, io);
  }
}

/** `--now`, checked where it is typed: a bad clock is a usage error, not a run judged by the wrong day. */
function nowOption(value: string): Date {
  const instant = parseInstant(value);
  if ("error" in instant) throw new InvalidArgumentError(instant.error);
  return instant;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--max-age`: a Prometheus-style duration (7d, 12h, 1w2d), in seconds. */
function maxAgeOption(value: string): number {
  const seconds = durationSeconds(value.trim());
  if (seconds === null) throw new InvalidArgumentError("expected a duration such as 7d, 12h or 1w2d");
  return seconds;
}

/** `--commit`: a full commit id; an abbreviated one would never match the recorded commit. */
function commitOption(value: string): string {
  const commit = value.trim().toLowerCase();
  if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(commit)) throw new InvalidArgumentError("expected a full commit id (40 hex digits, e.g. $GITHUB_SHA), not an abbreviation or a branch name");
  return commit;
}

function collectDigest(value: string, previous: string[]): string[] {
  const digest = value.trim().toLowerCase().replace(/^sha256:/, "");
  if (!/^[0-9a-f]{64}$/.test(digest)) throw new InvalidArgumentError("expected a SHA-256 digest (64 hex digits), as `obsgate --version` and the attestation's policySets list it");
  return [...previous, digest];
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

