// Bounds on what one input file may cost, so a hostile or broken file fails fast and alone.
// Each is set in .obsgate.yaml under `limits:` (kebab-case names in docs/configuration.md).

export interface InputLimits {
  /** Largest file read, in bytes. */
  maxFileBytes: number;
  /** Most nodes that alias expansion may produce in one document (counts expanded nodes, not aliases). */
  maxAliasNodes: number;
  /** Deepest nesting of mappings and sequences. */
  maxDepth: number;
  /** Most YAML documents in one file. */
  maxDocuments: number;
}

export const DEFAULT_LIMITS: InputLimits = {
  maxFileBytes: 5 * 1024 * 1024,
  maxAliasNodes: 10_000,
  maxDepth: 64,
  maxDocuments: 1_000,
};
