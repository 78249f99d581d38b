// Text to documents: every YAML (or JSON) document of a file as plain data, with a source map
// from JSON pointer to line and column, within the limits. `yaml` parses in two steps: its CST
// parser is iterative, so nesting is measured there, before the recursive composer could exhaust
// the stack (which, once hit, can leave V8 unable to parse the next file). The walk below turns
// the composed tree into values (instead of `toJS`) so that it can count the nodes alias expansion
// produces while it records positions.
import {
  Composer,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  type CST,
  type Document,
  type Node,
  type ParsedNode,
} from "yaml";
import type { Position } from "../types.js";
import type { InputLimits } from "./limits.js";
import { parseYamlFast } from "./yaml-fast.js";

export interface ParsedDocument {
  index: number;
  value: unknown;
  sourceMap: Map<string, Position>;
  /** Where the document starts, for problems about the document as a whole. */
  start: Position;
}

/** Why a file's text could not become documents: a syntax error or a limit, with its place. */
export interface ParseFailure {
  line: number;
  column: number;
  message: string;
  remediation: string;
}

export type ParseResult = { documents: ParsedDocument[] } | { failure: ParseFailure };

/** Ends a walk at the first problem, which then becomes the file's one INP-001 failure. */
class WalkStopped extends Error {
  constructor(
    readonly failure: ParseFailure,
  ) {
    super(failure.message);
  }
}

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** js-yaml's fast path when it can answer exactly; otherwise `yaml`, which locates every problem. */
export function parseYamlDocuments(text: string, limits: InputLimits): ParseResult {
  const fast = parseYamlFast(text, limits);
  return fast ? { documents: fast } : parseYamlReference(text, limits);
}

/** The reference reading: every value, position, limit and error message is defined by this one. */
export function parseYamlReference(text: string, limits: InputLimits): ParseResult {
  const lineCounter = new LineCounter();
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  const tooDeep = firstTooDeep(tokens, limits.maxDepth);
  if (tooDeep !== null) {
    return {
      failure: {
        ...position(tooDeep),
        message: `nesting deeper than ${limits.maxDepth} levels`,
        remediation: "flatten the structure, or raise limits.max-depth in .obsgate.yaml",
      },
    };
  }
  const composer = new Composer({ prettyErrors: false, uniqueKeys: true, merge: true });
  const list = [...composer.compose(tokens, false, text.length)];
  const parsed: ParsedDocument[] = [];
  for (const [index, doc] of list.entries()) {
    const error = doc.errors[0];
    if (error) {
      // yaml points at the key's first character; the key is the scalar that starts there.
      const near = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s:#,[\]{}]+)/.exec(text.slice(error.pos[0], error.pos[0] + 200))?.[1] ?? "";
      return { failure: { ...position(error.pos[0]), ...describeSyntaxError(error.code, error.message, near) } };
    }
    if (isEmptyDocument(doc)) continue;
    if (index >= limits.maxDocuments) {
      return {
        failure: {
          ...position(doc.range[0]),
          message: `more than ${limits.maxDocuments} YAML documents in one file`,
          remediation: "split the file, or raise limits.max-documents in .obsgate.yaml",
        },
      };
    }
    const contents = doc.contents as ParsedNode;
    try {
      const walker = new Walker(doc, position, limits);
      const value = walker.value(contents, "", 1, false);
      parsed.push({ index, value, sourceMap: walker.sourceMap, start: position(contents.range[0]) });
    } catch (error) {
      if (error instanceof WalkStopped) return { failure: error.failure };
      throw error;
    }
  }
  return { documents: parsed };
}

/** A document with nothing in it (`---` alone, or a trailing `---`), which `yaml` gives as an empty scalar. */
function isEmptyDocument(doc: Document.Parsed): boolean {
  const contents = doc.contents as Node | null;
  return contents === null || (isScalar(contents) && contents.value === null && contents.source === "");
}

/** Offset of the first collection nested deeper than `maxDepth`, measured on the CST without recursion. */
function firstTooDeep(tokens: readonly CST.Token[], maxDepth: number): number | null {
  const stack: Array<[CST.Token, number]> = tokens.map((token) => [token, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    const isCollection = token.type === "block-map" || token.type === "block-seq" || token.type === "flow-collection";
    const inner = isCollection ? depth + 1 : depth;
    if (inner > maxDepth) return token.offset;
    if (token.type === "document" && token.value) stack.push([token.value, inner]);
    if (isCollection) {
      for (const item of token.items) {
        if ("key" in item && item.key) stack.push([item.key, inner]);
        if (item.value) stack.push([item.value, inner]);
      }
    }
  }
  return null;
}

function describeSyntaxError(code: string, message: string, near: string): { message: string; remediation: string } {
  const text = message.replace(/\s+at line \d+, column \d+[\s\S]*$/, "").trim();
  switch (code) {
    case "DUPLICATE_KEY":
      return {
        message: `duplicate key \`${near.trim()}\`: it appears twice in the same mapping`,
        remediation: "keep one of the keys; YAML loaders disagree on which wins",
      };
    case "RESOURCE_EXHAUSTION":
      return {
        message: `too deeply nested or too large to parse (${text})`,
        remediation: "flatten the structure; obsgate reads at most limits.max-depth levels",
      };
    default:
      return { message: `YAML syntax error: ${text}`, remediation: "fix the YAML syntax at this position" };
  }
}

/** Turns one document's tree into plain values, recording each node's position by JSON pointer. */
class Walker {
  readonly sourceMap = new Map<string, Position>();
  private aliasNodes = 0;
  /** The outermost alias being expanded: where a user must look when expansion goes over budget. */
  private expandingAlias: Node | null = null;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly position: (offset: number) => Position,
    private readonly limits: InputLimits,
  ) {}

  value(node: Node | null, pointer: string, depth: number, expanding: boolean): unknown {
    if (node === null) return null;
    if (!this.sourceMap.has(pointer) && node.range) this.sourceMap.set(pointer, this.position(node.range[0]));
    if (expanding && ++this.aliasNodes > this.limits.maxAliasNodes) {
      this.fail(this.expandingAlias ?? node, `alias expansion produces more than ${this.limits.maxAliasNodes} nodes`,
        "write the data out instead of nesting aliases, or raise limits.max-alias-nodes in .obsgate.yaml");
    }
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) this.fail(node, `alias *${node.source} names no anchor`, "define the anchor before using it");
      const outermost = this.expandingAlias === null;
      if (outermost) this.expandingAlias = node;
      try {
        return this.value(target as ParsedNode, pointer, depth, true);
      } finally {
        if (outermost) this.expandingAlias = null;
      }
    }
    if (isScalar(node)) return node.value ?? null;
    if (depth > this.limits.maxDepth) {
      this.fail(node, `nesting deeper than ${this.limits.maxDepth} levels`,
        "flatten the structure, or raise limits.max-depth in .obsgate.yaml");
    }
    if (isSeq(node)) {
      return node.items.map((item, i) => this.value(item as Node, `${pointer}/${i}`, depth + 1, expanding));
    }
    if (isMap(node)) {
      const object: Record<string, unknown> = {};
      const merged: unknown[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        // With `merge: true`, yaml gives a plain `<<` key a symbol value; a quoted "<<" is an ordinary key.
        if (isScalar(keyNode) && typeof keyNode.value === "symbol") {
          merged.push(this.value(pair.value as Node, pointer, depth, expanding));
          continue;
        }
        const key = isScalar(keyNode) ? String(keyNode.value) : keyNode === null ? "" : String(keyNode);
        // `1:` and `"1":` are different YAML keys but the same JSON member: the later would win silently.
        if (Object.hasOwn(object, key)) {
          this.fail(keyNode ?? node, `duplicate key \`${key}\`: it appears twice in the same mapping once keys are read as text`,
            "keep one of the keys");
        }
        const childPointer = `${pointer}/${escapePointerToken(key)}`;
        if (keyNode?.range) this.sourceMap.set(childPointer, this.position(keyNode.range[0]));
        setOwn(object, key, this.value(pair.value as Node | null, childPointer, depth + 1, expanding));
      }
      // Merge keys (`<<: *base`), as Prometheus's Go YAML reader applies them: explicit keys win.
      for (const source of merged.flat()) {
        if (source && typeof source === "object" && !Array.isArray(source)) {
          for (const [key, value] of Object.entries(source)) if (!Object.hasOwn(object, key)) setOwn(object, key, value);
        }
      }
      return object;
    }
    return null;
  }

  private fail(node: Node, message: string, remediation: string): never {
    const at = this.position(node.range?.[0] ?? 0);
    throw new WalkStopped({ ...at, message, remediation });
  }
}

/** Sets a key even when it is `__proto__`, which plain assignment would treat as the prototype. */
function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
