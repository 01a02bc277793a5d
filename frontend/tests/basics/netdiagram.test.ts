import { describe, expect, it } from "vitest";
import { columnXs, MIN_STEP, minimumWidth } from "../../src/basics/netdiagram";

describe("the network drawing's columns", () => {
  it("spread over the width the page gives", () => {
    const xs = columnXs(800, 4);
    expect(xs[0]).toBeGreaterThan(40); // room for the input labels
    const steps = xs.slice(1).map((x, c) => x - xs[c]);
    expect(new Set(steps.map((s) => s.toFixed(6))).size).toBe(1);
    expect(steps[0]).toBeGreaterThan(MIN_STEP);
  });

  it("never come closer than MIN_STEP, however narrow the page", () => {
    const xs = columnXs(300, 8);
    for (let c = 1; c < xs.length; c++) expect(xs[c] - xs[c - 1]).toBeGreaterThanOrEqual(MIN_STEP);
    expect(minimumWidth(8)).toBeGreaterThan(300);
    const fitted = columnXs(minimumWidth(8), 8);
    expect(fitted[7] - fitted[6]).toBeCloseTo(MIN_STEP);
  });

  it("fit two hidden layers on a 360-pixel phone without scrolling", () => {
    // 360 px less the page's and the panel's padding and borders
    expect(minimumWidth(4)).toBeLessThanOrEqual(360 - 20 - 2 - 32);
  });
});
