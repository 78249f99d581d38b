// Finds the pinned conftest (tools/conftest.version), installing it with Go when it is missing, the
// way OPA is installed (README, "Policies and OPA"):
//   go install github.com/open-policy-agent/conftest@$(cat tools/conftest.version)
// Looks in $OBSGATE_CONFTEST, then on PATH, then in $(go env GOBIN) and $(go env GOPATH)/bin. A
// binary built by `go install` reports "Conftest: dev", so its version is read from its build info
// (`go version -m`). Without Go and without a usable conftest, the caller skips the conftest ratio.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";

const MODULE = "github.com/open-policy-agent/conftest";

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", ...options });
  return result.error ? null : result;
}

function goEnv(name) {
  const result = run("go", ["env", name]);
  return result && result.status === 0 ? result.stdout.trim() : "";
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** The conftest module version a binary was built from, and the OPA it embeds; null when unknown. */
export function conftestVersion(binary, hasGo) {
  let version = null;
  let opa = null;
  if (hasGo) {
    const info = run("go", ["version", "-m", binary]);
    if (info && info.status === 0) {
      version = info.stdout.match(new RegExp(`\\tmod\\t${MODULE.replaceAll(".", "\\.")}\\t(\\S+)`))?.[1] ?? null;
      opa = info.stdout.match(/\tdep\tgithub\.com\/open-policy-agent\/opa\t(\S+)/)?.[1] ?? null;
    }
  }
  const own = run(binary, ["--version"]);
  if (own && own.status === 0) {
    const reported = own.stdout.match(/Conftest:\s*(\S+)/)?.[1];
    if (!version && reported && reported !== "dev") version = reported.startsWith("v") ? reported : `v${reported}`;
    opa ??= own.stdout.match(/OPA:\s*(\S+)/)?.[1] ?? null;
  }
  return { version, opa };
}

/**
 * Returns {binary, version, opa} for the pinned conftest, or {skip: reason}. `log` receives what
 * this does (an install takes a few minutes the first time).
 */
export function ensureConftest(root, log) {
  const pinned = readFileSync(join(root, "tools", "conftest.version"), "utf8").trim();
  const hasGo = run("go", ["version"])?.status === 0;
  const gobin = hasGo ? goEnv("GOBIN") || (goEnv("GOPATH") && join(goEnv("GOPATH"), "bin")) : "";
  const candidates = [process.env.OBSGATE_CONFTEST, onPath("conftest"), gobin && join(gobin, "conftest")]
    .filter((c, i, all) => c && existsSync(c) && all.indexOf(c) === i);
  const seen = [];
  for (const binary of candidates) {
    const { version, opa } = conftestVersion(binary, hasGo);
    if (version === pinned) return { binary, version, opa, pinned };
    seen.push(`${binary} (${version ?? "version unknown"})`);
    if (version === null && !hasGo) {
      log(`conftest: using ${binary}, whose version cannot be read without Go (pinned: ${pinned})`);
      return { binary, version: "unknown", opa, pinned };
    }
  }
  if (!hasGo) {
    return { skip: `conftest ${pinned} not found${seen.length ? ` (found ${seen.join(", ")})` : ""} and no Go toolchain to install it; install Go, or set OBSGATE_CONFTEST to a conftest ${pinned} binary` };
  }
  log(`conftest ${pinned} not found${seen.length ? ` (found ${seen.join(", ")})` : ""}; installing it:`);
  log(`  go install ${MODULE}@${pinned}    (into ${gobin}; a few minutes the first time)`);
  const install = spawnSync("go", ["install", `${MODULE}@${pinned}`], { stdio: ["ignore", "inherit", "inherit"] });
  const binary = join(gobin, "conftest");
  if (install.status !== 0 || !existsSync(binary)) {
    return { skip: `\`go install ${MODULE}@${pinned}\` failed (exit ${install.status}); if it refuses because of replace directives, install it as a \`tool\` dependency of a small module (tools/conftest/go.mod) and set OBSGATE_CONFTEST` };
  }
  const { version, opa } = conftestVersion(binary, hasGo);
  return { binary, version: version ?? pinned, opa, pinned };
}
