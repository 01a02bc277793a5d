import { describe, expect, it } from "vitest";
import { predictionText } from "../../src/basics/prediction";

describe("predictionText", () => {
  it("says the class and how sure, or the value", () => {
    expect(predictionText(1.23, -0.84, { problem: "classification", probabilities: [[0.13, 0.87]], classes: [1] })).toBe(
      "At (1.2, −0.8) the network says class 1, 87% sure.",
    );
    expect(predictionText(0, 2, { problem: "regression", values: [-0.4219] })).toBe("At (0.0, 2.0) the network says −0.422.");
    expect(predictionText(0, 0, { problem: "regression", values: [null] })).toContain("not a number");
  });
});
