// Inline waivers: `# obsgate:ignore <RULE> [until YYYY-MM-DD] -- <reason>` comments in a checked
// file, read while the file's text is at hand so that the text itself need not be kept. Only the
// comments' syntax is read here; whether the rule exists, may be waived, or has expired is the
// policy stage's judgement (src/policy/waivers.ts).
//
// YAML's own lexer finds the comments, so a `#` inside a quoted string or a block scalar (a PromQL
// expression's own comment) is never taken for one. Files without the marker are not lexed at all.
import { Lexer } from "yaml";

export const IGNORE_MARKER = "obsgate:ignore";

/** One `# obsgate:ignore` comment, as written. */
export interface InlineIgnore {
  /** Repository-relative path of the file the comment is in. */
  file: string;
  /** Where the comment's `#` is. */
  line: number;
  column: number;
  /** The line whose findings it waives: its own, or, alone on its line, the next line that is not a comment. */
  appliesTo: number;
  /** The rule id as written, or null when the comment names none. */
  rule: string | null;
  /** The text after `--`, or null when there is none. */
  reason: string | null;
  /** The `until` date as written, or null when none is given. */
  until: string | null;
  /** The whole comment, without `#`: the inline waiver's identity in its file. */
  text: string;
}

/** The markers `yaml`'s lexer emits that stand for no source text. */
const ZERO_WIDTH = new Set(["\x02", "\x18", "\x1f"]);

const UNTIL = /(?:^|\s)until\s+(\S+)\s*$/;

export function scanIgnoreComments(text: string, file: string): InlineIgnore[] {
  if (!text.includes(IGNORE_MARKER)) return [];
  const comments: Array<{ text: string; alone: boolean; line: number; column: number }> = [];
  let offset = 0;
  let line = 1;
  let lineStart = 0;
  for (const token of new Lexer().lex(text)) {
    if (ZERO_WIDTH.has(token)) continue;
    if (token.startsWith("#")) {
      const alone = text.slice(lineStart, offset).trim() === "";
      comments.push({ text: token, alone, line, column: offset - lineStart + 1 });
    }
    // Lines counted as the tokens go by (a block scalar spans several), so the scan stays linear.
    for (let i = token.indexOf("\n"); i !== -1; i = token.indexOf("\n", i + 1)) {
      line++;
      lineStart = offset + i + 1;
    }
    offset += token.length;
  }
  // Lines holding only a comment: an ignore alone on its line skips over them to the line it heads.
  const commentLines = new Set(comments.filter((c) => c.alone).map((c) => c.line));
  const ignores: InlineIgnore[] = [];
  for (const comment of comments) {
    const body = comment.text.slice(1).trim();
    if (!body.startsWith(IGNORE_MARKER)) continue;
    let appliesTo = comment.line;
    if (comment.alone) for (appliesTo = comment.line + 1; commentLines.has(appliesTo); appliesTo++);
    ignores.push({ file, line: comment.line, column: comment.column, appliesTo, ...parseIgnore(body.slice(IGNORE_MARKER.length)), text: body });
  }
  return ignores;
}

/** `<RULE> [until DATE] [-- <reason> [until DATE]]`: the date may stand before the `--` or end the reason. */
export function parseIgnore(rest: string): Pick<InlineIgnore, "rule" | "reason" | "until"> {
  const separator = rest.search(/(?:^|\s)--(?:\s|$)/);
  let head = (separator === -1 ? rest : rest.slice(0, separator)).trim();
  let reason = separator === -1 ? null : rest.slice(separator).trim().slice(2).trim();
  let until: string | null = null;
  const inHead = UNTIL.exec(head);
  if (inHead) {
    until = inHead[1]!;
    head = head.slice(0, inHead.index).trim();
  } else if (reason !== null) {
    const inReason = UNTIL.exec(reason);
    if (inReason) {
      until = inReason[1]!;
      reason = reason.slice(0, inReason.index).trim();
    }
  }
  return { rule: head === "" ? null : head, reason: reason === "" ? null : reason, until };
}
