// Reading signed or trusted JSON strictly. Two parsers that read the same bytes differently are an
// attack: with `{"result":"FAILED","result":"PASSED"}` JSON.parse keeps the last member and another
// verifier may keep the first, and invalid UTF-8 decodes to U+FFFD in one tool and is refused by
// another. So text must be valid UTF-8 and no object may name a member twice.

export type StrictJsonResult =
  | { ok: true; value: unknown }
  | { ok: false; problem: "not_utf8" | "not_json" | "duplicate_member"; detail: string };

const FATAL_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The text of `bytes`, or null when they are not valid UTF-8 (overlong forms, lone surrogates, stray bytes). */
export function decodeUtf8Strict(bytes: Uint8Array): string | null {
  try {
    return FATAL_UTF8.decode(bytes);
  } catch {
    return null;
  }
}

/** Parses UTF-8 JSON bytes, refusing invalid UTF-8, a byte order mark and duplicate member names. */
export function parseJsonBytesStrict(bytes: Uint8Array): StrictJsonResult {
  const text = decodeUtf8Strict(bytes);
  if (text === null) return { ok: false, problem: "not_utf8", detail: "is not valid UTF-8" };
  return parseJsonStrict(text);
}

/** JSON.parse (RFC 8259 grammar), then a scan that refuses any object naming a member twice. */
export function parseJsonStrict(text: string): StrictJsonResult {
  // RFC 8259 §8.1: a BOM is not JSON; JSON.parse would refuse it too, with a less useful message.
  if (text.startsWith("\uFEFF")) return { ok: false, problem: "not_json", detail: "starts with a byte order mark" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // V8's wording and positions change between Node versions; a reason must not.
    return { ok: false, problem: "not_json", detail: "is not valid JSON" };
  }
  const duplicate = firstDuplicateMember(text);
  if (duplicate !== null) {
    return { ok: false, problem: "duplicate_member", detail: `names the member ${JSON.stringify(duplicate.slice(0, 80))} twice in one object` };
  }
  return { ok: true, value };
}

interface Frame {
  keys: Set<string> | null; // null for an array
  expectingKey: boolean;
}

/**
 * The first member name an object repeats, or null. Runs on text JSON.parse has accepted, so it
 * only needs to tell strings from structure; names are compared decoded (`"a"` and `"\u0061"`
 * are the same name). Iterative, so deep nesting cannot overflow the stack.
 */
function firstDuplicateMember(text: string): string | null {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "{") stack.push({ keys: new Set(), expectingKey: true });
    else if (ch === "[") stack.push({ keys: null, expectingKey: false });
    else if (ch === "}" || ch === "]") stack.pop();
    else if (ch === ",") {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectingKey = true;
    } else if (ch === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectingKey) {
        const name = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(name)) return name;
        top.keys.add(name);
        top.expectingKey = false;
      }
      i = end;
    }
  }
  return null;
}
