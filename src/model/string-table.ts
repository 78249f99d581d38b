// What a fleet-wide index keeps outlives the files it was read from, and a string sliced from a
// file's text keeps that whole text alive. Copies through a StringTable hold each distinct string
// once, as a flat string of its own.

export class StringTable {
  private readonly strings = new Map<string, string>();

  string(value: string): string {
    let kept = this.strings.get(value);
    if (kept === undefined) {
      // JSON's round trip makes a new flat string, not a slice of the text it came from.
      kept = JSON.parse(JSON.stringify(value)) as string;
      this.strings.set(kept, kept);
    }
    return kept;
  }

  /** A deep copy of plain data (objects, arrays, primitives) with its strings from the table. */
  copy<T>(value: T): T {
    if (typeof value === "string") return this.string(value) as T;
    if (typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) return value.map((item) => this.copy(item)) as T;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[this.string(key)] = this.copy(item);
    return out as T;
  }
}
