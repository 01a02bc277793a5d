import { describe, expect, it } from "vitest";
import { formatShape, ownerPath, stackPath } from "../../src/shared/netspec";

describe("network specification helpers", () => {
  it("finds the layer an error path points into", () => {
    const paths = new Set(["0", "1", "5", "5.layers.0", "5.layers.1", "6.branches.0.2", "input"]);
    expect(ownerPath("1", paths)).toBe("1");
    expect(ownerPath("5.layers.1.out_features", paths)).toBe("5.layers.1");
    expect(ownerPath("net.layers.6.branches.0.2", paths)).toBe("6.branches.0.2");
    expect(ownerPath("config.net.layers.0", paths)).toBe("0");
    expect(ownerPath("input.shape", paths)).toBe("input");
    expect(ownerPath("9", paths)).toBeNull();
    expect(stackPath("net.input")).toBe("input");
  });

  it("formats shapes", () => {
    expect(formatShape([16, 5, 5])).toBe("16 × 5 × 5");
    expect(formatShape([])).toBe("–");
  });
});
