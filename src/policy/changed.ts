// `--changed-since`: every model is evaluated, but only the findings a change could have caused
// decide the exit code. A finding is new when its own file changed, or when a model it affects
// changed: any file the model reads or names (manifest, rule files, backend configs, a reference
// that no longer resolves). A change to something every model depends on (the config, the waivers
// file, a policy, a data file) makes every finding new. The others are marked pre-existing.
import type { Finding } from "../types.js";

export interface ChangeScope {
  /** Changed paths, repository-relative. */
  changed: ReadonlySet<string>;
  /** Paths (files or folders) every model depends on. */
  global: readonly string[];
}

export interface ChangeMarking {
  findings: Finding[];
  /** Whether a change to a global path touched every model. */
  everything: boolean;
  /** The changed paths that matter to this run: global ones, the models' files and the findings' files, sorted. */
  relevant: string[];
}

export function markPreExisting(findings: readonly Finding[], models: ReadonlyArray<{ name: string | null; files: readonly string[] }>, scope: ChangeScope): ChangeMarking {
  const under = (path: string, root: string) => root === "." || path === root || path.startsWith(`${root}/`);
  const globalChanges = [...scope.changed].filter((path) => scope.global.some((root) => under(path, root)));
  const everything = globalChanges.length > 0;
  const touched = new Set<string>();
  const relevant = new Set<string>(globalChanges);
  for (const model of models) {
    const name = model.name;
    for (const file of model.files) {
      if (!scope.changed.has(file)) continue;
      relevant.add(file);
      if (name) touched.add(name);
    }
  }
  const marked = findings.map((finding): Finding => {
    if (scope.changed.has(finding.file)) relevant.add(finding.file);
    const isNew =
      everything ||
      scope.changed.has(finding.file) ||
      (finding.model !== null && touched.has(finding.model)) ||
      finding.models.some((name) => touched.has(name));
    return { ...finding, preExisting: !isNew };
  });
  return { findings: marked, everything, relevant: [...relevant].sort() };
}
