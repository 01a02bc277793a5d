import { describe, expect, it } from "vitest";
import { arithmetic, inputShapeOf, layerAt } from "../../src/cnn/netinfo";
import { fitNet } from "../../src/cnn/state";
import type { InspectResult, NetSpec } from "../../src/shared/netspec";

const NET: NetSpec = {
  version: 1,
  input: { shape: [1, 28, 28] },
  layers: [
    { type: "Conv2d", out_channels: 6, kernel_size: 5, padding: 2 },
    { type: "MaxPool2d", kernel_size: 2 },
    { type: "Residual", layers: [{ type: "Conv2d", out_channels: 6, kernel_size: 3, padding: 1, stride: 2 }] },
    { type: "Flatten" },
    { type: "Linear", out_features: 10 },
  ],
};

const RESULT: InspectResult = {
  input_shape: [1, 28, 28],
  output_shape: [10],
  total_params: 0,
  layers: [
    { path: "0", type: "Conv2d", output_shape: [6, 28, 28], params: 156 },
    { path: "1", type: "MaxPool2d", output_shape: [6, 14, 14], params: 0 },
    { path: "2", type: "Residual", output_shape: [6, 7, 7], params: 0 },
    { path: "2.layers.0", type: "Conv2d", output_shape: [6, 7, 7], params: 0 },
  ],
};

describe("the shape arithmetic of the CNN page", () => {
  it("writes (N − F + 2P)/S + 1 for a convolution and a pool", () => {
    expect(arithmetic(NET.layers[0], [1, 28, 28], [6, 28, 28])).toBe("⌊(28 − 5 + 2·2)/1⌋ + 1 = 28");
    expect(arithmetic(NET.layers[1], [6, 28, 28], [6, 14, 14])).toBe("⌊(28 − 2)/2⌋ + 1 = 14");
    expect(arithmetic(NET.layers[3], [6, 7, 7], [294])).toBe("");
  });

  it("finds a nested layer and the shape it receives", () => {
    const outputs = new Map(RESULT.layers.map((row) => [row.path, row.output_shape]));
    expect(layerAt(NET, "2.layers.0")?.stride).toBe(2);
    expect(inputShapeOf("2.layers.0", RESULT, outputs)).toEqual([6, 14, 14]);
    expect(inputShapeOf("0", RESULT, outputs)).toEqual([1, 28, 28]);
  });

  it("fits a network to another dataset's pictures and classes", () => {
    const fitted = fitNet(NET, [3, 32, 32], 4);
    expect(fitted.input.shape).toEqual([3, 32, 32]);
    expect(fitted.layers[4].out_features).toBe(4);
    expect(NET.layers[4].out_features).toBe(10);
  });
});
