// Strict base64 for DSSE fields. Node's Buffer.from(text, "base64") skips characters it does not
// know and ignores stray bits, so many texts decode to the same bytes; a verifier that accepts them
// lets an envelope change without its signature changing. The DSSE spec allows the standard or
// the URL-safe alphabet; each is accepted alone, in its canonical form only.

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

/** The bytes `text` encodes, or null when it is not canonical base64 in one alphabet. */
export function decodeBase64Strict(text: string): Buffer | null {
  if (STANDARD.test(text) && text.length % 4 === 0) {
    const bytes = Buffer.from(text, "base64");
    return bytes.toString("base64") === text ? bytes : null;
  }
  if (URL_SAFE.test(text)) {
    const unpadded = text.replace(/=+$/, "");
    // Padding, when present, must be exactly what completes the last quantum.
    if (unpadded.length !== text.length && text.length % 4 !== 0) return null;
    if (unpadded.length % 4 === 1) return null;
    const bytes = Buffer.from(unpadded, "base64url");
    return bytes.toString("base64url") === unpadded ? bytes : null;
  }
  return null;
}

/** Standard alphabet with padding: what in-toto, cosign and sigstore-js write. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}
