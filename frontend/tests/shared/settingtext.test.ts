import { describe, expect, it } from "vitest";
import { featureText } from "../../src/shared/fields";
import { settingName, settingValue } from "../../src/shared/settingtext";

describe("settings in words", () => {
  it("names features as people write them", () => {
    expect(["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"].map(featureText)).toEqual(["x₁", "x₂", "x₁²", "x₂²", "x₁x₂", "sin(x₁)", "sin(x₂)"]);
  });


  it("names settings as the Basics controls do, and any other from its key", () => {
    expect(["n_points", "train_ratio", "hidden", "target_test_loss", "grid_size", "warmup_steps"].map(settingName)).toEqual([
      "Points",
      "Training data",
      "Hidden layers",
      "Stop at test loss",
      "Picture size (cells)",
      "Warmup steps",
    ]);
  });

  it("writes lists as items, never as JSON broken mid-word", () => {
    expect(settingValue("features", ["x1", "x2", "x1sq", "sinx1", "sinx2"])).toEqual(["x₁", "x₂", "x₁²", "sin(x₁)", "sin(x₂)"]);
    expect(settingValue("hidden", [6, 6, 6])).toEqual(["6", "6", "6"]);
    expect(settingValue("hidden", [])).toBe("none");
    expect(settingValue("points", [[1, 2, 0], [3, 4, 1]])).toBe("2 points");
  });

  it("writes missing values, booleans, percentages and choices for people", () => {
    expect(settingValue("target_test_loss", null)).toBe("none");
    expect(settingValue("shuffle", true)).toBe("yes");
    expect(settingValue("noise", 15)).toBe("15%");
    expect(settingValue("learning_rate", 0.03)).toBe("0.03");
    expect(settingValue("dataset", "xor")).toBe("XOR");
    expect(settingValue("activation", "relu")).toBe("ReLU");
  });
});
