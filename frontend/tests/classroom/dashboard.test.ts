import { describe, expect, it } from "vitest";
import { progressText } from "../../src/classroom/dashboard";

describe("progressText", () => {
  it("gives the epoch where a run counts epochs, else its step", () => {
    expect(progressText({ epoch: 3, step: 375 })).toBe("epoch 3");
    expect(progressText({ epoch: null, step: 20 })).toBe("step 20");
    expect(progressText({ epoch: null, step: null })).toBe("–");
  });
});
