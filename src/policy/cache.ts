// The compiled-policy cache: a user's Rego folder is compiled once per content, and later runs
// load the Wasm without calling opa at all. An entry is named by the hash of everything that
// decides its bytes; it is written whole (temporary file, then rename) and checked when read, so
// a corrupt or half-written entry is rebuilt, never loaded.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { opaModuleProblem } from "./engine.js";

/** Bumped when the entry format or what goes into the key changes. */
const CACHE_FORMAT = "obsgate-policy-cache/1";

/** `$OBSGATE_CACHE_DIR`, else `$XDG_CACHE_HOME/obsgate`, else `~/.cache/obsgate`. */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OBSGATE_CACHE_DIR) return resolve(env.OBSGATE_CACHE_DIR);
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, "obsgate");
  return join(homedir(), ".cache", "obsgate");
}

export interface CacheKeyParts {
  opaVersion: string;
  capabilities: Uint8Array;
  entrypoints: readonly string[];
  /** Each compiled file's path relative to the folder (`/` separators) and its bytes, in path order. */
  files: ReadonlyArray<{ path: string; bytes: Uint8Array }>;
}

/** The hash of everything that decides the compiled bytes; lengths delimit each part. */
export function cacheKey(parts: CacheKeyParts): string {
  const hash = createHash("sha256");
  const field = (label: string, value: string | Uint8Array) => {
    const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : value;
    hash.update(`${label} ${bytes.length}\n`);
    hash.update(bytes);
    hash.update("\n");
  };
  field("format", CACHE_FORMAT);
  field("opa", parts.opaVersion);
  field("capabilities", parts.capabilities);
  for (const entrypoint of parts.entrypoints) field("entrypoint", entrypoint);
  for (const file of parts.files) {
    field("path", file.path);
    field("bytes", file.bytes);
  }
  return hash.digest("hex");
}

export function cacheEntryPath(directory: string, key: string): string {
  return join(directory, "policies", `${key}.wasm`);
}

/** The cached module, or null when there is none or it is not a whole OPA module (then it is rebuilt). */
export function readCacheEntry(path: string): Buffer | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return null;
  }
  return opaModuleProblem(bytes) === null ? bytes : null;
}

/**
 * Writes an entry atomically. A cache that cannot be written (a read-only home) only costs a
 * recompile next time, so a failure here is not the run's failure.
 */
export function writeCacheEntry(path: string, bytes: Uint8Array): boolean {
  const folder = join(path, "..");
  const temporary = join(folder, `.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
    return true;
  } catch {
    rmSync(temporary, { force: true });
    return false;
  }
}
