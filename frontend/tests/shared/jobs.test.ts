import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../src/shared/api";
import { jobSocketUrl, runJob, streamJob } from "../../src/shared/jobs";

class FakeJobSocket {
  onopen: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onclose: ((ev: CloseEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  sent: string[] = [];
  closed = false;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(data);
  }
  reply(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) } as MessageEvent);
  }
  close() {
    this.closed = true;
  }
}

const location = { protocol: "https:", host: "example.org" };

function open(token?: string) {
  let socket: FakeJobSocket | null = null;
  const parts: unknown[] = [];
  const answer = streamJob(3, "sample", { length: 5 }, (part) => parts.push(part), token, {
    location,
    openSocket: (url) => (socket = new FakeJobSocket(url)),
  });
  socket!.onopen?.({} as Event);
  return { socket: socket!, parts, answer };
}

afterEach(() => vi.unstubAllGlobals());

describe("jobs", () => {
  it("builds the job socket's address with the share token", () => {
    expect(jobSocketUrl(location, 3)).toBe("wss://example.org/ws/runs/3/jobs/");
    expect(jobSocketUrl({ protocol: "http:", host: "h" }, 3, "a b")).toBe("ws://h/ws/runs/3/jobs/?token=a%20b");
  });

  it("streams parts in order, then answers the result and closes", async () => {
    const { socket, parts, answer } = open("tok");
    expect(socket.url).toBe("wss://example.org/ws/runs/3/jobs/?token=tok");
    expect(JSON.parse(socket.sent[0])).toEqual({ kind: "sample", args: { length: 5 } });
    socket.reply({ type: "part", data: { text: "a" } });
    socket.reply({ type: "part", data: { text: "b" } });
    socket.reply({ type: "result", data: { text: "ab" } });
    await expect(answer).resolves.toEqual({ text: "ab" });
    expect(parts).toEqual([{ text: "a" }, { text: "b" }]);
    expect(socket.closed).toBe(true);
  });

  it("rejects with the server's sentence, or says the socket closed", async () => {
    const failed = open();
    failed.socket.reply({ type: "error", message: "the run has no checkpoint yet" });
    await expect(failed.answer).rejects.toThrow("the run has no checkpoint yet");
    const dropped = open();
    dropped.socket.onclose?.({ code: 1006 } as CloseEvent);
    await expect(dropped.answer).rejects.toBeInstanceOf(ApiError);
  });

  it("posts a job over HTTP and answers its result", async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ kind: "predict", result: { classes: [1] } }), {
      status: 200, headers: { "Content-Type": "application/json" },
    }));
    vi.stubGlobal("fetch", fetch);
    await expect(runJob(4, "predict", { points: [[0, 0]] }, "t")).resolves.toEqual({ classes: [1] });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/runs/4/jobs?token=t");
    expect(JSON.parse(String(init.body))).toEqual({ kind: "predict", args: { points: [[0, 0]] } });
  });
});
