// The fast path of parsing: js-yaml reads a file several times faster than `yaml`, and its
// listener reports where each node opens, from which the same JSON-pointer source map is rebuilt.
// It only answers when it can give exactly what the `yaml` path (yaml.ts) gives: a file with
// anchors, aliases, tags, merge keys, complex keys, null documents or items, a syntax error or a
// limit crossed returns null, and the `yaml` path, whose messages and positions are the reference,
// reads it instead. A differential test holds the two to the same values and positions.
import jsYaml from "js-yaml";
import type { Position } from "../types.js";
import type { InputLimits } from "./limits.js";

export interface FastDocument {
  index: number;
  value: unknown;
  sourceMap: Map<string, Position>;
  start: Position;
}

/** A node as js-yaml composed it: where it opened, what it produced, and the nodes composed inside it. */
interface Frame {
  at: number;
  result: unknown;
  children: Frame[];
}

/** Thrown inside the rebuild when the file needs the `yaml` path. */
class NotFast extends Error {}

// YAML 1.2's core schema, resolved exactly as `yaml` resolves it (its schema/core tests, in its
// order). js-yaml keeps one implicit type per tag, so each tag tries its forms in turn.
type Form = [RegExp, (text: string) => unknown];
const scalar = (tag: string, forms: Form[]) => {
  const formOf = (text: string) => forms.find(([test]) => test.test(text));
  return new jsYaml.Type(`tag:yaml.org,2002:${tag}`, {
    kind: "scalar",
    resolve: (text: string) => formOf(text) !== undefined,
    construct: (text: string) => formOf(text)![1](text),
  });
};
const CORE_SCHEMA = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar("null", [[/^(?:~|[Nn]ull|NULL)?$/, () => null]]),
    scalar("bool", [[/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === "t" || text[0] === "T"]]),
    scalar("int", [
      [/^0o[0-7]+$/, (text) => parseInt(text.substring(2), 8)],
      [/^[-+]?[0-9]+$/, (text) => parseInt(text, 10)],
      [/^0x[0-9a-fA-F]+$/, (text) => parseInt(text.substring(2), 16)],
    ]),
    scalar("float", [
      [/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (text) =>
        text.slice(-3).toLowerCase() === "nan" ? NaN : text[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY],
      [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, parseFloat],
      [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, parseFloat],
    ]),
  ],
});

/** Documents of `text` with their source maps, or null when only the `yaml` path can read it faithfully. */
export function parseYamlFast(text: string, limits: InputLimits): FastDocument[] | null {
  const roots: Frame[] = [];
  const open: Frame[] = [];
  let values: unknown[];
  try {
    // js-yaml 4.3 has `maxDepth`; @types/js-yaml 4.0.9 predates it.
    const options: jsYaml.LoadOptions & { maxDepth: number } = {
      schema: CORE_SCHEMA,
      // js-yaml counts nested calls, about two per level of data: room for the deepest the limit allows.
      maxDepth: 2 * limits.maxDepth + 8,
      listener(event, state) {
        if (event === "open") {
          const frame: Frame = { at: state.position, result: undefined, children: [] };
          (open.at(-1)?.children ?? roots).push(frame);
          open.push(frame);
        } else {
          open.pop()!.result = state.result;
        }
      },
    };
    values = jsYaml.loadAll(text, undefined, options);
  } catch {
    return null;
  }
  if (values.length !== roots.length || values.length > limits.maxDocuments) return null;
  const lines = new LineIndex(text);
  try {
    return values.map((value, index) => {
      if (value === null || value === undefined) throw new NotFast();
      const rebuild = new SourceMapRebuild(text, lines, limits.maxDepth);
      const root = rebuild.node(roots[index]!, value);
      rebuild.visit(root, value, "", 0);
      return { index, value, sourceMap: rebuild.sourceMap, start: lines.position(rebuild.startOf(root)) };
    });
  } catch (error) {
    if (error instanceof NotFast) return null;
    throw error;
  }
}

/** Walks the value and its frames together, checking that they agree, and records each node's position. */
class SourceMapRebuild {
  readonly sourceMap = new Map<string, Position>();

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly maxDepth: number,
  ) {}

  /** The frame that produced `value`: js-yaml wraps some nodes in an outer call that yields the same result. */
  node(frame: Frame, value: unknown): Frame {
    let node = frame;
    while (node.children.length === 1 && Object.is(node.children[0]!.result, node.result)) node = node.children[0]!;
    if (!Object.is(node.result, value)) throw new NotFast();
    return node;
  }

  /** Offset of the node's first character; anchors, tags and aliases are left to the `yaml` path. */
  startOf(frame: Frame): number {
    const offset = skipSeparation(this.text, frame.at);
    const first = this.text[offset];
    if (first === "&" || first === "*" || first === "!") throw new NotFast();
    return offset;
  }

  visit(frame: Frame, value: unknown, pointer: string, depth: number): void {
    const start = this.startOf(frame);
    if (!this.sourceMap.has(pointer)) this.sourceMap.set(pointer, this.lines.position(start));
    if (value === null || typeof value !== "object") {
      if (frame.children.length > 0) throw new NotFast();
      return;
    }
    if (depth + 1 > this.maxDepth) throw new NotFast();
    if (Array.isArray(value)) {
      if (frame.children.length !== value.length) throw new NotFast();
      value.forEach((item, i) => {
        if (item === null) throw new NotFast();
        this.visit(this.node(frame.children[i]!, item), item, `${pointer}/${i}`, depth + 1);
      });
      return;
    }
    this.visitMapping(frame, value as Record<string, unknown>, pointer, depth);
  }

  /** A mapping's frames are key, value, key, value…, except that an empty value (`a:` then a new line) has none. */
  private visitMapping(frame: Frame, object: Record<string, unknown>, pointer: string, depth: number): void {
    const children = frame.children;
    let members = 0;
    for (let i = 0; i < children.length; ) {
      const keyFrame = this.node(children[i]!, children[i]!.result);
      const rawKey = keyFrame.result;
      if (rawKey !== null && typeof rawKey === "object") throw new NotFast();
      const key = String(rawKey);
      if (key === "<<" || !Object.hasOwn(object, key)) throw new NotFast();
      const value = object[key];
      const childPointer = `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      if (this.sourceMap.has(childPointer)) throw new NotFast();
      this.sourceMap.set(childPointer, this.lines.position(this.startOf(keyFrame)));
      const next = children[i + 1];
      if (next !== undefined && Object.is(next.result, value)) {
        this.visit(this.node(next, value), value, childPointer, depth + 1);
        i += 2;
      } else if (value === null) {
        i += 1;
      } else {
        throw new NotFast();
      }
      members++;
    }
    if (members !== Object.keys(object).length) throw new NotFast();
  }
}

/** Skips spaces, tabs, line breaks and comments: js-yaml opens a value's frame before the space that precedes it. */
function skipSeparation(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xfeff) {
      i++;
    } else if (c === 0x23 /* # */) {
      const end = text.indexOf("\n", i);
      if (end === -1) return text.length;
      i = end + 1;
    } else {
      return i;
    }
  }
}

/** Offsets to 1-based lines and columns, as `yaml`'s LineCounter gives them. */
class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): Position {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low]! + 1 };
  }
}
