// @vitest-environment jsdom
import { describe, expect, it, vi } from "vitest";
import { fieldsOf } from "../../src/shared/schema";
import { PageState, parseState, propsFromFields, readValue, serializeState, type Prop, type State } from "../../src/shared/state";
import type { TaskInfo } from "../../src/shared/tasks";

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

const TASK: TaskInfo = {
  name: "toy",
  title: "Toy",
  schema: {
    type: "object",
    properties: {
      dataset: { enum: ["xor", "circle"], type: "string", default: "xor" },
      learning_rate: { type: "number", default: 0.03 },
      hidden: { type: "array", items: { type: "integer" }, default: [4] },
    },
  },
  default_config: { dataset: "xor", learning_rate: 0.03, hidden: [4] },
};
const PAGE_PROPS: Prop[] = [{ name: "showTest", type: "boolean" }];

describe("a task page's state", () => {
  it("starts from the task's defaults and the page's own keys", () => {
    const state = new PageState(TASK, PAGE_PROPS, { showTest: false });
    expect(state.values).toEqual({ dataset: "xor", learning_rate: 0.03, hidden: [4], showTest: false });
    state.list<number>("hidden").push(8);
    expect(TASK.default_config.hidden).toEqual([4]);
  });

  it("writes the configuration, then the page's keys, to the hash", () => {
    const state = new PageState(TASK, PAGE_PROPS, { showTest: false });
    state.values.showTest = true;
    expect(state.hash()).toBe("dataset=xor&learning_rate=0.03&hidden=4&showTest=1");
  });

  it("reads the hash over the defaults, or over an assignment's settings", () => {
    const state = new PageState(TASK, PAGE_PROPS, { showTest: false });
    state.readHash("#hidden=8,8&showTest=1");
    expect(state.values).toEqual({ dataset: "xor", learning_rate: 0.03, hidden: [8, 8], showTest: true });
    state.readHash("#hidden=2", { learning_rate: 0.5, dataset: "circle" });
    expect(state.values).toEqual({ dataset: "circle", learning_rate: 0.5, hidden: [2], showTest: false });
  });

  it("sends only the configuration's fields", () => {
    const state = new PageState(TASK, PAGE_PROPS, { showTest: true });
    expect(state.config()).toEqual({ dataset: "xor", learning_rate: 0.03, hidden: [4] });
  });

  it("answers an empty list for a missing or non-list value", () => {
    const state = new PageState(TASK);
    expect(state.list("dataset")).toEqual([]);
    expect(state.list("nothing")).toEqual([]);
  });

  it("writes the address once per change and knows its own write when it comes back", () => {
    history.replaceState(null, "", "/toy");
    const state = new PageState(TASK);
    const replace = vi.spyOn(history, "replaceState");
    state.writeAddress();
    state.writeAddress();
    expect(replace).toHaveBeenCalledTimes(1);
    expect(location.hash).toBe("#dataset=xor&learning_rate=0.03&hidden=4");
    expect(state.isOwnHash(location.hash)).toBe(true);
    location.hash = "learning_rate=0.5";
    expect(state.isOwnHash(location.hash)).toBe(false);
    state.writeAddress(); // the visitor's address, not yet read, is put back to what the page shows
    expect(location.hash).toBe("#dataset=xor&learning_rate=0.03&hidden=4");
    replace.mockRestore();
  });
});
