// RFC 8785 JSON Canonicalization Scheme (JCS): the payload's bytes depend only on its data, so the
// same inputs and the same `--now` give the same payload, byte for byte, on any machine.
//
// JCS serialises like ECMAScript's JSON.stringify — numbers by Number.prototype.toString (the
// shortest form that round-trips, `-0` as `0`), strings with only `"`, `\` and control characters
// escaped — and sorts object members by their names' UTF-16 code units, which is what `<` compares
// in JavaScript. Its input must be I-JSON (RFC 7493): no NaN or Infinity, no lone surrogates.
// This is written here rather than taken from npm because the reference package (`canonicalize`)
// now requires Node 22 while obsgate supports Node 20, and the whole scheme is this one function.

export class CanonicalJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CanonicalJsonError";
  }
}

/**
 * The RFC 8785 serialisation of `value`. Object members whose value is `undefined` are left out,
 * as JSON.stringify does, so optional fields can stay unset; anything else that is not JSON data
 * (NaN, Infinity, a bigint, a function, a Date, a Map, a lone surrogate) throws.
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, "");
}

/** The canonical form as UTF-8 bytes: what gets signed. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function serialise(value: unknown, at: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${at || "/"}: ${value} is not a JSON number`);
      return String(value); // ES Number::toString, which RFC 8785 §3.2.2.3 adopts; String(-0) is "0".
    case "string":
      return serialiseString(value, at);
    case "object":
      break;
    default:
      throw new CanonicalJsonError(`${at || "/"}: a ${typeof value} is not JSON data`);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, i) => {
      if (item === undefined) throw new CanonicalJsonError(`${at}/${i}: undefined is not JSON data`);
      return serialise(item, `${at}/${i}`);
    }).join(",")}]`;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new CanonicalJsonError(`${at || "/"}: a ${prototype?.constructor?.name ?? "non-plain object"} is not JSON data`);
  }
  const members = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${members.map(([name, member]) => {
    const path = `${at}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    return `${serialiseString(name, path)}:${serialise(member, path)}`;
  }).join(",")}}`;
}

function serialiseString(text: string, at: string): string {
  if (LONE_SURROGATE.test(text)) throw new CanonicalJsonError(`${at || "/"}: a string holds a lone surrogate, which I-JSON forbids`);
  // Since ES2019 JSON.stringify escapes exactly what RFC 8785 §3.2.2.2 escapes, in the same forms
  // (\b \t \n \f \r, other controls as lowercase \u00xx), and leaves `/` and non-ASCII as they are.
  return JSON.stringify(text);
}
