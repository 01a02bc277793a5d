import { describe, expect, it } from "vitest";
import { labelColor } from "../../src/basics/heatmap";
import { mlpSpec } from "../../src/basics/layerspanel";
import { clickedPoint, parsePointsCsv, pointsToCsv } from "../../src/basics/points";
import { labelKindOf, statusLine } from "../../src/basics/runview";
import { CLASS_COLORS, NEGATIVE, POSITIVE } from "../../src/shared/colors";

describe("the Basics network as layers", () => {
  it("writes the Basics MLP as torch.nn layers", () => {
    expect(mlpSpec(2, [4, 2], "Tanh", 1)).toEqual({
      version: 1,
      input: { shape: [2] },
      layers: [
        { type: "Linear", out_features: 4 },
        { type: "Tanh" },
        { type: "Linear", out_features: 2 },
        { type: "Tanh" },
        { type: "Linear", out_features: 1 },
      ],
    });
    expect(mlpSpec(3, [], null, 3).layers).toEqual([{ type: "Linear", out_features: 3 }]);
  });
});

describe("custom points", () => {
  it("reads CSV with or without a header and names bad lines", () => {
    const { points, problems } = parsePointsCsv("x1,x2,label\n1,2,0\n\n-3.5, 4 ,1\nfoo,1,1\n1,2\n");
    expect(points).toEqual([[1, 2, 0], [-3.5, 4, 1]]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/line 5/);
  });

  it("writes CSV that reads back", () => {
    const points: [number, number, number][] = [[1, 2, 0], [0.5, -1, 1]];
    expect(parsePointsCsv(pointsToCsv(points)).points).toEqual(points);
  });

  it("keeps clicked points inside the plane", () => {
    expect(clickedPoint(7.123, -2.3456, 1)).toEqual([6, -2.35, 1]);
  });
});

describe("page text", () => {
  it("colours labels by kind", () => {
    expect(labelColor(0, "binary")).toEqual(NEGATIVE);
    expect(labelColor(1, "binary")).toEqual(POSITIVE);
    expect(labelColor(2, "classes")).toEqual(CLASS_COLORS[2]);
  });

  it("tells binary, multiclass and regression labels apart", () => {
    expect(labelKindOf([[0, 0, 0], [1, 1, 1]])).toBe("binary");
    expect(labelKindOf([[0, 0, 0], [1, 1, 2]])).toBe("classes");
    expect(labelKindOf([[0, 0, 0.5]])).toBe("regression");
    expect(labelKindOf([[0, 0, 1]], "regression")).toBe("regression");
  });

  it("writes the status line", () => {
    const line = statusLine({ epoch: 12, step: 480, trainLoss: 0.3121, testLoss: 0.298, trainAccuracy: 0.9, testAccuracy: 0.94, status: "running", error: "", position: null, message: "" });
    expect(line).toBe("Epoch 12 · step 480 · train loss 0.312 · test loss 0.298 · test accuracy 94%");
    expect(statusLine({ epoch: 3, step: null, trainLoss: null, testLoss: null, trainAccuracy: null, testAccuracy: null, status: "failed", error: "out of memory", position: null, message: "" })).toBe("Failed: out of memory · Epoch 3");
  });
});
