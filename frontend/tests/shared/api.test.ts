import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, apiPost, csrfToken, parseErrors } from "../../src/shared/api";

describe("API errors", () => {
  it("reads the documented errors list", () => {
    const body = JSON.stringify({ errors: [{ path: "net.layers.3", message: "layer 4 (Linear) expects 400 inputs" }, { path: "", message: "bad" }] });
    expect(parseErrors(400, body)).toEqual([
      { path: "net.layers.3", message: "layer 4 (Linear) expects 400 inputs" },
      { path: "", message: "bad" },
    ]);
  });

  it("reads pydantic-style detail lists, dropping the body prefix", () => {
    const body = JSON.stringify({ detail: [{ loc: ["body", "config", "noise"], msg: "too big" }] });
    expect(parseErrors(422, body)).toEqual([{ path: "config.noise", message: "too big" }]);
  });

  it("reads a single detail message", () => {
    expect(parseErrors(403, JSON.stringify({ detail: "CSRF check failed" }))).toEqual([{ path: "", message: "CSRF check failed" }]);
  });

  it("answers a sentence for bodies that are not JSON", () => {
    expect(parseErrors(502, "<html>Bad gateway</html>")[0].message).toMatch(/502/);
    expect(parseErrors(429, "")[0].message).toMatch(/runs/);
  });

  it("reads the CSRF cookie", () => {
    expect(csrfToken("sessionid=abc; csrftoken=tok%3D1; other=2")).toBe("tok=1");
    expect(csrfToken("sessionid=abc")).toBe("");
  });
});

describe("apiRequest", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("sends JSON with the CSRF header and throws ApiError with paths", async () => {
    vi.stubGlobal("document", { cookie: "csrftoken=secret" });
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ errors: [{ path: "config.noise", message: "too noisy" }] }), { status: 400, headers: { "Content-Type": "application/json" } }));
    vi.stubGlobal("fetch", fetchMock);
    const error = await apiPost("runs", { task: "basics" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).errors).toEqual([{ path: "config.noise", message: "too noisy" }]);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/runs");
    expect((init.headers as Record<string, string>)["X-CSRFToken"]).toBe("secret");
    expect(init.body).toBe(JSON.stringify({ task: "basics" }));
  });

  it("turns a network failure into an ApiError with status 0", async () => {
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    const error = (await apiPost("runs").catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
    expect(error.errors[0].message).toMatch(/reach the server/);
  });
});
