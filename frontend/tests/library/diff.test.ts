import { describe, expect, it } from "vitest";
import { changeText, layerChanges, settingChanges, type Layer } from "../../src/library/diff";

const linear = (n: number): Layer => ({ type: "Linear", out_features: n });

describe("structured configuration diff", () => {
  it("names an inserted layer without shifting the others", () => {
    const a = [linear(8), { type: "Tanh" }, linear(1)];
    const b = [linear(8), { type: "Tanh" }, linear(4), { type: "Tanh" }, linear(1)];
    expect(layerChanges(a, b).map(changeText)).toEqual(["layer 3 added: Linear (out_features 4)", "layer 4 added: Tanh"]);
  });

  it("names removed layers and changed arguments", () => {
    const a = [linear(8), { type: "ReLU" }, linear(1)];
    const b = [linear(6), linear(1)];
    expect(layerChanges(a, b).map(changeText)).toEqual(["layer 2 removed: ReLU", "layer 1 (Linear) out_features: 8 → 6"]);
  });

  it("lists changed settings only", () => {
    expect(settingChanges({ lr: 0.03, hidden: [8, 4], epochs: 10 }, { lr: 0.1, hidden: [8, 4], epochs: 10, extra: true }).map(changeText))
      .toEqual(["lr: 0.03 → 0.1", "extra: none → true"]);
  });
});
