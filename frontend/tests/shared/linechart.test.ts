import { describe, expect, it } from "vitest";
import { DECADES_AXIS, LOSS_AXIS, PERCENT_AXIS, powerOfTen, valuesIn, yRange } from "../../src/shared/linechart";

describe("yRange", () => {
  it("keeps accuracy on 0–100 % whatever the data, so 48.8 % against 51.2 % stays a small wobble", () => {
    expect(yRange(48.8, 51.2, PERCENT_AXIS)).toEqual([0, 100]);
    expect(yRange(null, null, PERCENT_AXIS)).toEqual([0, 100]);
    expect(yRange(100, 100, PERCENT_AXIS)).toEqual([0, 100]);
  });

  it("starts the loss at zero, with room above the highest value", () => {
    const [lo, hi] = yRange(0.6931, 0.6934, LOSS_AXIS);
    expect(lo).toBe(0);
    expect(hi).toBeCloseTo(0.6934 * 1.05);
    expect(yRange(0, 0, LOSS_AXIS)).toEqual([0, 1]);
    expect(yRange(null, null, LOSS_AXIS)).toEqual([0, 1]);
  });

  it("spans at least one whole decade on a log chart, ending on powers of ten", () => {
    expect(yRange(-2.3, -2.2, DECADES_AXIS)).toEqual([-3, -2]);
    expect(yRange(-5.4, 0.2, DECADES_AXIS)).toEqual([-6, 1]);
    expect(yRange(-1, -1, DECADES_AXIS)).toEqual([-1, 0]);
  });

  it("widens a narrow free range to the least span around its middle", () => {
    const [lo, hi] = yRange(10, 10.1, { minSpan: 2 });
    expect(hi - lo).toBeCloseTo(2);
    expect((lo + hi) / 2).toBeCloseTo(10.05);
  });

  it("pads a free range by 5 % on each side", () => {
    expect(yRange(0, 10, {})).toEqual([-0.5, 10.5]);
  });
});

describe("log axis labels", () => {
  it("writes whole powers of ten and leaves the rest blank", () => {
    expect([-5, -2, 0, 2, 4, 0.5].map(powerOfTen)).toEqual(["1e-5", "0.01", "1", "100", "1e4", ""]);
  });
});

describe("valuesIn", () => {
  it("counts the values a series holds, not its gaps, so a lone value can be drawn as a dot", () => {
    expect(valuesIn([null, 2, undefined, null])).toBe(1);
    expect(valuesIn([1, null, 3])).toBe(2);
    expect(valuesIn([])).toBe(0);
  });
});
