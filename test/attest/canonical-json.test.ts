// RFC 8785 (JCS) with the RFC's own test vectors: numbers (Appendix B), string escaping and the
// sample of §3.2.2, member sorting by UTF-16 code units (§3.2.3).
import { describe, expect, it } from "vitest";
import { canonicalJson, canonicalJsonBytes, CanonicalJsonError } from "../../src/attest/index.js";

/** The IEEE 754 double with these bits. */
function double(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe("canonicalJson numbers (RFC 8785 Appendix B)", () => {
  const vectors: Array<[string, string]> = [
    ["0000000000000000", "0"],
    ["8000000000000000", "0"], // -0
    ["0000000000000001", "5e-324"],
    ["8000000000000001", "-5e-324"],
    ["7fefffffffffffff", "1.7976931348623157e+308"],
    ["ffefffffffffffff", "-1.7976931348623157e+308"],
    ["4340000000000000", "9007199254740992"],
    ["c340000000000000", "-9007199254740992"],
    ["4430000000000000", "295147905179352830000"],
    ["44b52d02c7e14af5", "9.999999999999997e+22"],
    ["44b52d02c7e14af6", "1e+23"],
    ["44b52d02c7e14af7", "1.0000000000000001e+23"],
    ["444b1ae4d6e2ef4e", "999999999999999700000"],
    ["444b1ae4d6e2ef4f", "999999999999999900000"],
    ["444b1ae4d6e2ef50", "1e+21"],
    ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
    ["3eb0c6f7a0b5ed8d", "0.000001"],
    ["41b3de4355555553", "333333333.3333332"],
    ["41b3de4355555554", "333333333.33333325"],
    ["41b3de4355555555", "333333333.3333333"],
    ["41b3de4355555556", "333333333.3333334"],
    ["41b3de4355555557", "333333333.33333343"],
    ["becbf647612f3696", "-0.0000033333333333333333"],
    ["43143ff3c1cb0959", "1424953923781206.2"],
  ];
  for (const [bits, expected] of vectors) {
    it(`${bits} → ${expected}`, () => {
      expect(canonicalJson(double(bits))).toBe(expected);
    });
  }

  for (const bits of ["7fffffffffffffff", "7ff0000000000000", "fff0000000000000"]) {
    it(`refuses ${bits} (NaN or Infinity)`, () => {
      expect(() => canonicalJson([double(bits)])).toThrow(CanonicalJsonError);
    });
  }
});

describe("canonicalJson strings and structure", () => {
  it("serialises the sample of RFC 8785 §3.2.2 exactly", () => {
    const input = JSON.parse(String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`);
    expect(canonicalJson(input)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it("sorts members by UTF-16 code units (RFC 8785 §3.2.3)", () => {
    const input = JSON.parse(String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`);
    // Read the order off the text: JavaScript objects list integer-like names ("1") first.
    const text = canonicalJson(input);
    const values = [...text.matchAll(/:"([^"]*)"/g)].map((m) => m[1]);
    expect(values).toEqual([
      "Carriage Return",
      "One",
      "Control",
      "Latin Small Letter O With Diaeresis",
      "Euro Sign",
      "Emoji: Grinning Face", // U+1F600 is D83D DE00 in UTF-16: before U+FB33, unlike in UTF-8 or code points
      "Hebrew Letter Dalet With Dagesh",
    ]);
  });

  it("matches the UTF-8 bytes of RFC 8785 §3.2.4's sorted sample", () => {
    const bytes = canonicalJsonBytes({ "\u20ac": "Euro Sign", "\r": "Carriage Return" });
    expect(Buffer.from(bytes).toString("hex")).toBe(
      Buffer.from('{"\\r":"Carriage Return","€":"Euro Sign"}', "utf8").toString("hex"),
    );
    expect(Buffer.from(bytes).toString("hex")).toContain("e282ac"); // € as UTF-8, not escaped
  });

  it("escapes control characters in lowercase \\u00xx and the five short forms", () => {
    expect(canonicalJson("\b\t\n\f\r\u0000\u001f\u007f")).toBe('"\\b\\t\\n\\f\\r\\u0000\\u001f\u007f"');
    expect(canonicalJson("</script> é 😀")).toBe('"</script> é 😀"');
  });

  it("nests, keeps array order, and leaves out members set to undefined", () => {
    expect(canonicalJson({ b: [3, { z: 1, a: null }], a: { y: undefined, x: "1" } })).toBe('{"a":{"x":"1"},"b":[3,{"a":null,"z":1}]}');
    expect(canonicalJson({})).toBe("{}");
    expect(canonicalJson([])).toBe("[]");
  });

  it("refuses what is not I-JSON data, naming where", () => {
    expect(() => canonicalJson({ a: { b: "\ud800" } })).toThrow("/a/b: a string holds a lone surrogate");
    expect(() => canonicalJson({ "\udc00": 1 })).toThrow("lone surrogate");
    expect(() => canonicalJson({ n: 10n })).toThrow("/n: a bigint is not JSON data");
    expect(() => canonicalJson({ when: new Date(0) })).toThrow("/when: a Date is not JSON data");
    expect(() => canonicalJson([undefined])).toThrow("/0: undefined is not JSON data");
    expect(() => canonicalJson({ f: () => 1 })).toThrow("a function is not JSON data");
    expect(() => canonicalJson(new Map())).toThrow("a Map is not JSON data");
  });

  it("accepts objects without a prototype", () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: 2 });
    expect(canonicalJson(bare)).toBe('{"a":2,"b":1}');
  });
});
