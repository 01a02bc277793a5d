import { describe, expect, it } from "vitest";
import { memoByBody } from "../../src/shared/memo";

function counting<R>(answer: (body: unknown) => R | Promise<R>) {
  const asked: string[] = [];
  const ask = async (body: unknown) => {
    asked.push(JSON.stringify(body));
    return answer(body);
  };
  return { asked, ask };
}

describe("memoByBody", () => {
  it("asks once for the same body, even while the first answer is on its way", async () => {
    const { asked, ask } = counting((body) => ({ echo: body }));
    const memo = memoByBody(ask);
    const [a, b] = await Promise.all([memo({ net: [1, 2] }), memo({ net: [1, 2] })]);
    expect(await memo({ net: [1, 2] })).toEqual({ echo: { net: [1, 2] } });
    expect(a).toEqual(b);
    expect(asked).toHaveLength(1);
  });

  it("asks again for a different body", async () => {
    const { asked, ask } = counting((body) => body);
    const memo = memoByBody(ask);
    await memo({ n: 1 });
    await memo({ n: 2 });
    expect(asked).toEqual(['{"n":1}', '{"n":2}']);
  });

  it("gives each caller its own copy", async () => {
    const { ask } = counting(() => ({ points: [[1, 2, 0]] }));
    const memo = memoByBody(ask);
    const first = await memo({});
    first.points.push([9, 9, 9]);
    expect((await memo({})).points).toEqual([[1, 2, 0]]);
  });

  it("forgets a failure, so the next call asks again", async () => {
    let fail = true;
    const { asked, ask } = counting(() => {
      if (fail) throw new Error("offline");
      return "ok";
    });
    const memo = memoByBody(ask);
    await expect(memo({})).rejects.toThrow("offline");
    fail = false;
    expect(await memo({})).toBe("ok");
    expect(asked).toHaveLength(2);
  });

  it("drops the least recently used answer beyond its capacity", async () => {
    const { asked, ask } = counting((body) => body);
    const memo = memoByBody(ask, 2);
    await memo(1);
    await memo(2);
    await memo(1);
    await memo(3); // drops 2, the least recently used
    await memo(1);
    await memo(2);
    expect(asked).toEqual(["1", "2", "3", "2"]);
  });
});
