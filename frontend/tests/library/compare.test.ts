import { describe, expect, it } from "vitest";
import { parseRunRefs } from "../../src/library/compare";

describe("the runs Compare is asked for", () => {
  it("takes plain ids and ids with a share token", () => {
    expect(parseRunRefs("12:Ab-c_9,13")).toEqual([{ id: 12, token: "Ab-c_9" }, { id: 13, token: "" }]);
  });

  it("skips what is not a run id and keeps at most eight", () => {
    expect(parseRunRefs("x,0,-3,1.5,:tok,7")).toEqual([{ id: 7, token: "" }]);
    expect(parseRunRefs("1,2,3,4,5,6,7,8,9,10").map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
