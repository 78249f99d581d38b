// Bytes to text: UTF-8 only, located errors for bytes that are not.

export interface DecodedText {
  text: string;
}

export interface UndecodableText {
  /** 1-based position of the first byte that is not UTF-8. */
  line: number;
  column: number;
  byteOffset: number;
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Decodes UTF-8 (dropping a byte-order mark), or says where the first invalid byte is. */
export function decodeUtf8(bytes: Uint8Array): DecodedText | UndecodableText {
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    const byteOffset = firstInvalidUtf8Byte(bytes);
    const valid = new TextDecoder("utf-8").decode(bytes.subarray(0, byteOffset));
    const { line, column } = positionAt(valid, valid.length);
    return { line, column, byteOffset };
  }
}

/**
 * Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
 * TextDecoder says only that the input is invalid, not where; a user needs the line.
 */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let length: number;
    let min: number;
    if (b < 0x80) {
      i += 1;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [length, min] = [2, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [length, min] = [3, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [length, min] = [4, 0x10000];
    else return i;
    if (i + length > bytes.length) return i;
    let codePoint = b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k]!;
      if ((next & 0xc0) !== 0x80) return i;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return i;
    i += length;
  }
  return bytes.length;
}

/** 1-based line and column (in UTF-16 code units, as editors count) of a string offset. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
