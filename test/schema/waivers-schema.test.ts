// schemas/waivers.v1.schema.json is what users read to write a waivers file: it compiles under
// ajv's strict mode, documents every field with a description and examples, and its examples are valid.
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { loadSchema } from "../../src/schema/index.js";

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; $defs?: Record<string, Schema>; examples?: unknown[] };

const schema = loadSchema("waivers") as Schema;
const ID = "https://obsgate.dev/schemas/waivers/v1";

function properties(node: Schema, pointer: string): Array<{ pointer: string; definition: Schema }> {
  return Object.entries(node.properties ?? {}).map(([name, definition]) => ({ pointer: `${pointer}/properties/${name}`, definition }));
}

const all = [...properties(schema, ""), ...properties(schema.$defs!.waiver!, "/$defs/waiver")];

describe("the waivers schema", () => {
  it("compiles under ajv strict mode and declares its draft, $id and title", () => {
    expect(() => new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema)).not.toThrow();
    expect(schema).toMatchObject({ $schema: "https://json-schema.org/draft/2020-12/schema", $id: ID, title: expect.any(String), description: expect.any(String) });
  });

  it("describes every field, with examples", () => {
    expect(all.map((p) => p.pointer)).toEqual(expect.arrayContaining(["/properties/waivers", "/$defs/waiver/properties/expires"]));
    const lacking = all
      .filter(({ pointer, definition }) => typeof definition.description !== "string" || (pointer !== "/properties/waivers" && !(definition.examples?.length ?? 0)))
      .map((p) => p.pointer);
    expect(lacking).toEqual([]);
  });

  it("its examples are valid where they stand, the whole-file example included", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    ajv.addSchema(schema);
    const wrong: string[] = [];
    for (const { pointer, definition } of [{ pointer: "", definition: schema }, ...all]) {
      const check = ajv.compile({ $ref: `${ID}#${pointer}` });
      for (const example of definition.examples ?? []) if (!check(example)) wrong.push(`${pointer}: ${JSON.stringify(example)}: ${ajv.errorsText(check.errors)}`);
    }
    expect(wrong).toEqual([]);
    expect(schema.examples).toHaveLength(1);
  });
});
