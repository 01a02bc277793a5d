import { describe, expect, it } from "vitest";
import { diverging, NEGATIVE, POSITIVE, CLASS_COLORS } from "../../src/shared/colors";
import { decodeBase64, decodePlanes, planesToRgba, upsample } from "../../src/shared/planes";

function encode(bytes: number[]): string {
  return btoa(String.fromCharCode(...bytes));
}

describe("planes decoding", () => {
  it("decodes base64 into bytes", () => {
    expect([...decodeBase64(encode([0, 1, 127, 255]))]).toEqual([0, 1, 127, 255]);
  });

  it("maps 0 to lo and 255 to hi, one plane after another", () => {
    const planes = decodePlanes(encode([0, 255, 51, 204, 0, 0, 255, 255]), 2, 2, 2, -1, 1);
    expect(planes).toHaveLength(2);
    expect([...planes[0]].map((v) => +v.toFixed(3))).toEqual([-1, 1, -0.6, 0.6]);
    expect([...planes[1]]).toEqual([-1, -1, 1, 1]);
  });

  it("refuses too few bytes", () => {
    expect(() => decodePlanes(encode([1, 2, 3]), 2, 2, 1, 0, 1)).toThrow(/expected 4 bytes/);
  });

  it("colours one plane with the diverging scale", () => {
    const pixels = planesToRgba([new Float32Array([-1, 0, 1])], false);
    expect([...pixels.slice(0, 3)]).toEqual(NEGATIVE);
    expect([...pixels.slice(8, 11)]).toEqual(POSITIVE);
    expect(pixels[3]).toBe(255);
  });

  it("discretises to the sign", () => {
    const pixels = planesToRgba([new Float32Array([-0.1, 0.2])], true);
    expect([...pixels.slice(0, 3)]).toEqual(NEGATIVE);
    expect([...pixels.slice(4, 7)]).toEqual(POSITIVE);
  });

  it("colours several planes by the most probable class", () => {
    const planes = [new Float32Array([0.1, 0.8]), new Float32Array([0.1, 0.1]), new Float32Array([0.8, 0.1])];
    const pixels = planesToRgba(planes, true);
    expect([...pixels.slice(0, 3)]).toEqual(CLASS_COLORS[2]);
    expect([...pixels.slice(4, 7)]).toEqual(CLASS_COLORS[0]);
  });

  it("clamps values outside [-1, 1]", () => {
    expect(diverging(5)).toEqual(POSITIVE);
  });
});

describe("upsample", () => {
  it("keeps corner values and interpolates between cell centres", () => {
    const plane = new Float32Array([0, 1, 2, 3]);
    const big = upsample(plane, 2, 2, 2);
    expect(big).toHaveLength(16);
    expect(big[0]).toBe(0);
    expect(big[15]).toBe(3);
    expect(big[1]).toBeCloseTo(0.25);
    expect(big[5]).toBeCloseTo(0.75);
  });
});
