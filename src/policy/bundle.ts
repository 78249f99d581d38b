// Reads the files of an OPA bundle (`opa build -t wasm` writes a gzipped tar) into memory.
import { gunzipSync } from "node:zlib";
import { Readable } from "node:stream";
import { extract } from "tar-stream";

/** Bundle member path (leading `/` removed) → its bytes. */
export async function readBundle(gzippedTar: Uint8Array): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const extractor = extract();
  const done = new Promise<void>((resolve, reject) => {
    extractor.on("entry", (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: unknown) => chunks.push(chunk as Buffer));
      stream.on("end", () => {
        if (header.type === "file") files.set(header.name.replace(/^\/+/, ""), Buffer.concat(chunks));
        next();
      });
      stream.on("error", reject);
    });
    extractor.on("finish", resolve);
    extractor.on("error", reject);
  });
  Readable.from([gunzipSync(gzippedTar)]).pipe(extractor);
  await done;
  return files;
}
