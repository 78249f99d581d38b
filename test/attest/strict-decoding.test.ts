// The strict readers a verifier relies on: UTF-8 (fatal), JSON with no repeated member names, and
// base64 in exactly one canonical spelling.
import { describe, expect, it } from "vitest";
import { decodeBase64Strict, decodeUtf8Strict, parseJsonBytesStrict, parseJsonStrict } from "../../src/attest/index.js";

describe("parseJsonStrict", () => {
  it("parses ordinary JSON", () => {
    expect(parseJsonStrict('{"a":[{"b":1},{"b":2}],"c":{"a":1}}')).toEqual({ ok: true, value: { a: [{ b: 1 }, { b: 2 }], c: { a: 1 } } });
  });

  it("refuses a member named twice, at any depth", () => {
    expect(parseJsonStrict('{"a":1,"a":2}')).toEqual({ ok: false, problem: "duplicate_member", detail: 'names the member "a" twice in one object' });
    expect(parseJsonStrict('{"x":[1,{"k":{},"k":[]}]}')).toMatchObject({ problem: "duplicate_member", detail: 'names the member "k" twice in one object' });
  });

  it("compares names decoded, so an escape cannot hide a repeat", () => {
    expect(parseJsonStrict('{"result":"FAILED","res\\u0075lt":"PASSED"}')).toMatchObject({ problem: "duplicate_member" });
  });

  it("does not mistake strings, values or sibling objects for repeats", () => {
    expect(parseJsonStrict('{"a":"a","b":"\\"a\\":","c":{"a":1},"d":[{"a":1},{"a":2}],"e":"{\\"a\\":1,\\"a\\":2}"}').ok).toBe(true);
    expect(parseJsonStrict('["a","a",{"a":"a"}]').ok).toBe(true);
  });

  it("refuses text that is not JSON, a byte order mark, and trailing garbage", () => {
    expect(parseJsonStrict('{"a":1')).toEqual({ ok: false, problem: "not_json", detail: "is not valid JSON" });
    expect(parseJsonStrict('\uFEFF{"a":1}')).toEqual({ ok: false, problem: "not_json", detail: "starts with a byte order mark" });
    expect(parseJsonStrict('{"a":1} {}')).toMatchObject({ problem: "not_json" });
    expect(parseJsonStrict("{'a':1}")).toMatchObject({ problem: "not_json" });
  });

  it("survives deep nesting without overflowing the stack", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const result = parseJsonStrict(deep);
    expect(["not_json", undefined]).toContain(result.ok ? undefined : result.problem);
  });
});

describe("decodeUtf8Strict", () => {
  it("decodes valid UTF-8", () => {
    expect(decodeUtf8Strict(Buffer.from("équipe ≥ 😀"))).toBe("équipe ≥ 😀");
  });

  it.each([
    ["a stray continuation byte", [0x61, 0x80]],
    ["a truncated sequence", [0xc3]],
    ["an invalid second byte", [0xc3, 0x28]],
    ["an overlong slash", [0xc0, 0xaf]],
    ["an encoded surrogate (CESU-8)", [0xed, 0xa0, 0x80]],
    ["a code point past U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
    ["0xFF", [0xff]],
  ])("refuses %s", (_, bytes) => {
    expect(decodeUtf8Strict(new Uint8Array(bytes))).toBeNull();
    expect(parseJsonBytesStrict(new Uint8Array([0x22, ...bytes, 0x22]))).toEqual({ ok: false, problem: "not_utf8", detail: "is not valid UTF-8" });
  });

  it("keeps a UTF-8 byte order mark visible, so JSON refuses it", () => {
    expect(parseJsonBytesStrict(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toMatchObject({ problem: "not_json" });
  });
});

describe("decodeBase64Strict", () => {
  it("decodes the standard alphabet with padding and the URL-safe one with or without", () => {
    expect(decodeBase64Strict("aGVsbG8/Pz8+")?.toString()).toBe("hello???>");
    expect(decodeBase64Strict("aGVsbG8_Pz8-")?.toString()).toBe("hello???>");
    expect(decodeBase64Strict("aGk=")?.toString()).toBe("hi");
    expect(decodeBase64Strict("aGk")?.toString()).toBe("hi");
    expect(decodeBase64Strict("")?.length).toBe(0);
  });

  it.each([
    ["a character outside both alphabets", "aGV*bG8="],
    ["whitespace", "aGVs bG8="],
    ["a newline", "aGVs\nbG8="],
    ["both alphabets mixed", "aGV+bG8_"],
    ["standard without its padding", "aGk+a"],
    ["padding in the middle", "aG==aGk="],
    ["too much padding", "aGk==="],
    ["non-zero padding bits", "aGl="],
    ["non-zero padding bits, URL-safe", "aGl"],
    ["an impossible length", "aGVsb"],
  ])("refuses %s", (_, text) => {
    expect(decodeBase64Strict(text)).toBeNull();
  });
});
