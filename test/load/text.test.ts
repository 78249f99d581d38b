// Bytes to text: UTF-8 only (RFC 3629), with the exact offset and line:column of the first byte
// that is not UTF-8.
import { isUtf8 } from "node:buffer";
import { describe, expect, it } from "vitest";
import { decodeUtf8, firstInvalidUtf8Byte, positionAt } from "../../src/load/text.js";
import { prng } from "../helpers/random.js";

const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

describe("decodeUtf8", () => {
  it("decodes UTF-8", () => {
    expect(decodeUtf8(bytes("a: é\nb: 😀\n"))).toEqual({ text: "a: é\nb: 😀\n" });
    expect(decodeUtf8(new Uint8Array())).toEqual({ text: "" });
  });

  it("drops a byte-order mark", () => {
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], "a: 1\n"))).toEqual({ text: "a: 1\n" });
  });

  it("drops only the first byte-order mark", () => {
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], "a"))).toEqual({ text: "\ufeffa" });
  });

  it("locates an invalid byte on a later line", () => {
    expect(decodeUtf8(bytes("a: 1\nb: ", [0xc0, 0x80], "\n"))).toEqual({ line: 2, column: 4, byteOffset: 8 });
    expect(decodeUtf8(bytes("x\ny\nzz: ", [0xff]))).toEqual({ line: 3, column: 5, byteOffset: 8 });
  });

  it("counts columns in UTF-16 code units, as editors do", () => {
    // é is 2 bytes and 1 unit; 😀 is 4 bytes and 2 units.
    expect(decodeUtf8(bytes("é", [0xff]))).toEqual({ line: 1, column: 2, byteOffset: 2 });
    expect(decodeUtf8(bytes("a\n😀", [0xff]))).toEqual({ line: 2, column: 3, byteOffset: 6 });
  });

  it("does not count a byte-order mark as a column", () => {
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], "A", [0xff]))).toEqual({ line: 1, column: 2, byteOffset: 4 });
  });

  it("counts a CRLF line ending as one line", () => {
    expect(decodeUtf8(bytes("a\r\nb", [0x80]))).toEqual({ line: 2, column: 2, byteOffset: 4 });
  });

  it("locates a truncated sequence at the end", () => {
    expect(decodeUtf8(bytes("ok: 1\nx: ", [0xe2, 0x82]))).toEqual({ line: 2, column: 4, byteOffset: 9 });
  });
});

describe("firstInvalidUtf8Byte", () => {
  const cases: Array<[string, number[], number]> = [
    ["ASCII", [0x61, 0x62], 2],
    ["empty", [], 0],
    ["2-byte é", [0xc3, 0xa9], 2],
    ["3-byte €", [0xe2, 0x82, 0xac], 3],
    ["4-byte 😀", [0xf0, 0x9f, 0x98, 0x80], 4],
    ["U+D7FF, the last before the surrogates", [0xed, 0x9f, 0xbf], 3],
    ["U+E000, the first after the surrogates", [0xee, 0x80, 0x80], 3],
    ["U+10FFFF, the last code point", [0xf4, 0x8f, 0xbf, 0xbf], 4],
    ["overlong NUL C0 80", [0x61, 0xc0, 0x80], 1],
    ["overlong C1 BF", [0xc1, 0xbf], 0],
    ["overlong E0 80 80", [0x61, 0x62, 0xe0, 0x80, 0x80], 2],
    ["overlong E0 9F BF", [0xe0, 0x9f, 0xbf], 0],
    ["overlong F0 80 80 80", [0xf0, 0x80, 0x80, 0x80], 0],
    ["overlong F0 8F BF BF", [0xf0, 0x8f, 0xbf, 0xbf], 0],
    ["surrogate ED A0 80 (U+D800)", [0x61, 0xed, 0xa0, 0x80], 1],
    ["surrogate ED BF BF (U+DFFF)", [0xed, 0xbf, 0xbf], 0],
    ["above U+10FFFF: F4 90 80 80", [0x61, 0x61, 0x61, 0xf4, 0x90, 0x80, 0x80], 3],
    ["lead byte F5", [0xf5, 0x80, 0x80, 0x80], 0],
    ["byte FF", [0x61, 0xff], 1],
    ["byte FE", [0xfe], 0],
    ["truncated 2-byte at end", [0x61, 0xc3], 1],
    ["truncated 3-byte at end", [0x61, 0x62, 0xe2, 0x82], 2],
    ["truncated 4-byte at end", [0xf0, 0x9f, 0x98], 0],
    ["stray continuation byte", [0x61, 0x80, 0x61], 1],
    ["stray continuation after a complete sequence", [0xc3, 0xa9, 0xbf], 2],
    ["lead byte followed by ASCII", [0xe2, 0x41, 0xac], 0],
    ["3-byte sequence broken at its last byte", [0x61, 0xe2, 0x82, 0x41], 1],
  ];
  for (const [name, input, offset] of cases) {
    it(`${name} → ${offset}`, () => {
      expect(firstInvalidUtf8Byte(Uint8Array.from(input))).toBe(offset);
    });
  }


  /** Byte strings that are mostly near-UTF-8: ASCII, lead and continuation bytes, boundary code points. */
  function randomBytes(next: () => number): Uint8Array {
    const length = Math.floor(next() * 24);
    const out: number[] = [];
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const interesting = [0x00, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x9f, 0xa0, 0x8f, 0x90];
    while (out.length < length) {
      const r = next();
      if (r < 0.25) out.push(Math.floor(next() * 0x80));
      else if (r < 0.45) out.push(0x80 | Math.floor(next() * 0x40));
      else if (r < 0.6) out.push(pick(interesting));
      else if (r < 0.75) out.push(Math.floor(next() * 256));
      else {
        // A real code point, sometimes at a boundary.
        const cp = pick([0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x10ffff, Math.floor(next() * 0x110000)]);
        if (cp >= 0xd800 && cp <= 0xdfff) continue;
        out.push(...Buffer.from(String.fromCodePoint(cp), "utf8"));
      }
    }
    return Uint8Array.from(out);
  }

  it("agrees with Node's buffer.isUtf8 on 5,000 random byte strings (seed 20260101)", () => {
    const next = prng(20260101);
    let invalid = 0;
    for (let n = 0; n < 5000; n++) {
      const input = randomBytes(next);
      const offset = firstInvalidUtf8Byte(input);
      const hex = Buffer.from(input).toString("hex");
      // Valid exactly when Node says so.
      expect(offset === input.length, hex).toBe(isUtf8(input));
      if (offset === input.length) continue;
      invalid++;
      // The offset is the end of the longest valid prefix: everything before it is UTF-8, and no
      // longer prefix is (RFC 3629 has no way to make a broken sequence valid by extending it).
      expect(isUtf8(input.subarray(0, offset)), hex).toBe(true);
      for (let end = offset + 1; end <= input.length; end++) expect(isUtf8(input.subarray(0, end)), `${hex} [0,${end})`).toBe(false);
    }
    // Both kinds were exercised.
    expect(invalid).toBeGreaterThan(1000);
    expect(invalid).toBeLessThan(4900);
  });

  it("decodes every random string that Node calls UTF-8 to the same text as Buffer (seed 7)", () => {
    const next = prng(7);
    for (let n = 0; n < 2000; n++) {
      const input = randomBytes(next);
      const decoded = decodeUtf8(input);
      if (isUtf8(input)) {
        const expected = Buffer.from(input).toString("utf8").replace(/^\ufeff/, "");
        expect(decoded).toEqual({ text: expected });
      } else {
        expect("byteOffset" in decoded && decoded.byteOffset).toBe(firstInvalidUtf8Byte(input));
      }
    }
  });
});

describe("positionAt", () => {
  const text = "a\nbc\nd";
  it.each([
    [0, 1, 1],
    [1, 1, 2],
    [2, 2, 1],
    [3, 2, 2],
    [4, 2, 3],
    [5, 3, 1],
    [6, 3, 2],
  ])("offset %i → %i:%i", (offset, line, column) => {
    expect(positionAt(text, offset)).toEqual({ line, column });
  });

  it("starts at 1:1 in an empty text", () => {
    expect(positionAt("", 0)).toEqual({ line: 1, column: 1 });
  });

  it("counts blank lines", () => {
    expect(positionAt("\n\n\nx", 3)).toEqual({ line: 4, column: 1 });
  });
});
