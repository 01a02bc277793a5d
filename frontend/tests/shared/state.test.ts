import { describe, expect, it } from "vitest";
import { fieldsOf } from "../../src/shared/schema";
import { parseState, propsFromFields, readValue, serializeState, type Prop, type State } from "../../src/shared/state";

const props: Prop[] = [
  { name: "dataset", type: "string" },
  { name: "noise", type: "int" },
  { name: "learning_rate", type: "number" },
  { name: "features", type: "strings" },
  { name: "hidden", type: "numbers" },
  { name: "points", type: "points" },
  { name: "target_test_loss", type: "number" },
  { name: "showTest", type: "boolean" },
];

describe("state hash", () => {
  it("round-trips every kind of value", () => {
    const state: State = {
      dataset: "xor",
      noise: 15,
      learning_rate: 0.003,
      features: ["x1", "x2", "sinx1"],
      hidden: [4, 2],
      points: [[1.5, -2.25, 1], [0, 6, 0]],
      target_test_loss: null,
      showTest: true,
    };
    const hash = serializeState(state, props);
    expect(parseState(`#${hash}`, props)).toEqual(state);
  });

  it("round-trips an empty hidden list (a single perceptron)", () => {
    const hash = serializeState({ hidden: [] }, props);
    expect(parseState(hash, props)).toEqual({ hidden: [] });
  });

  it("keeps keys in PROPS order and leaves out keys the state lacks", () => {
    expect(serializeState({ noise: 5, dataset: "spiral" }, props)).toBe("dataset=spiral&noise=5");
  });

  it("escapes text that would break the hash", () => {
    const state = { dataset: "a&b=c d" };
    const hash = serializeState(state, props);
    expect(hash).not.toContain(" ");
    expect(parseState(hash, props)).toEqual(state);
  });

  it("ignores unknown keys and malformed values", () => {
    expect(parseState("#noise=abc&bogus=1&hidden=1,x&dataset=circle&showTest=maybe&noise=2.5", props)).toEqual({ dataset: "circle" });
  });

  it("rounds points to three decimals", () => {
    const hash = serializeState({ points: [[1.23456, -0.0001, 2]] }, props);
    expect(hash).toBe("points=1.235:0:2");
    expect(parseState(hash, props).points).toEqual([[1.235, 0, 2]]);
  });

  it("reads an empty number as null and an empty point list as null", () => {
    expect(readValue("number", "")).toBeNull();
    expect(readValue("points", "")).toBeNull();
  });

  it("derives the PROPS table from a pydantic JSON schema", () => {
    const schema = {
      type: "object",
      properties: {
        dataset: { enum: ["xor", "circle"], type: "string", default: "xor" },
        noise: { type: "integer", minimum: 0, maximum: 50 },
        learning_rate: { type: "number", exclusiveMinimum: 0, maximum: 10 },
        features: { type: "array", items: { enum: ["x1", "x2"], type: "string" } },
        hidden: { type: "array", items: { type: "integer", minimum: 1, maximum: 8 }, maxItems: 6 },
        points: { anyOf: [{ type: "array", items: { type: "array", prefixItems: [{ type: "number" }, { type: "number" }, { type: "number" }], items: { type: "number" } } }, { type: "null" }] },
        target_test_loss: { anyOf: [{ type: "number" }, { type: "null" }], default: null },
        optimizer: { $ref: "#/$defs/Optimizer" },
      },
      $defs: { Optimizer: { enum: ["sgd", "adam"], type: "string" } },
    };
    const fields = fieldsOf(schema);
    expect(propsFromFields(fields.values())).toEqual([
      { name: "dataset", type: "string" },
      { name: "noise", type: "int" },
      { name: "learning_rate", type: "number" },
      { name: "features", type: "strings" },
      { name: "hidden", type: "numbers" },
      { name: "points", type: "points" },
      { name: "target_test_loss", type: "number" },
      { name: "optimizer", type: "string" },
    ]);
    expect(fields.get("hidden")).toMatchObject({ maxItems: 6, item: { minimum: 1, maximum: 8 } });
    expect(fields.get("optimizer")?.choices).toEqual(["sgd", "adam"]);
    expect(fields.get("target_test_loss")?.nullable).toBe(true);
  });
});
