import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunEvent } from "../../src/shared/events";
import { parseMessage, RunStream, streamUrl, type SocketLike, type StreamState } from "../../src/shared/runstream";

class FakeSocket implements SocketLike {
  onopen: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onclose: ((ev: CloseEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  open() {
    this.onopen?.({} as Event);
  }
  send(payload: unknown) {
    this.onmessage?.({ data: JSON.stringify(payload) } as MessageEvent);
  }
  drop(code = 1006) {
    this.onclose?.({ code } as CloseEvent);
  }
  close() {
    this.closed = true;
  }
}

const metric = (seq: number): RunEvent => ({ seq, type: "metric", step: seq * 10, data: { split: "train", epoch: seq, loss: 1 / seq } });
const status = (seq: number, value: string): RunEvent => ({ seq, type: "status", step: null, data: { status: value } });
const location = { protocol: "http:", host: "localhost:8000" };

function setup(after = 0) {
  const sockets: FakeSocket[] = [];
  const received: number[] = [];
  const states: StreamState[] = [];
  const stream = new RunStream({
    runId: 7,
    after,
    location,
    onEvents: (events) => received.push(...events.map((e) => e.seq)),
    onState: (state) => states.push(state),
    openSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    minDelayMs: 100,
    maxDelayMs: 1000,
  });
  stream.start();
  return { stream, sockets, received, states };
}

describe("RunStream", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("builds the socket address with after and token", () => {
    expect(streamUrl(location, 7, 12, "tok en")).toBe("ws://localhost:8000/ws/runs/7/?after=12&token=tok+en");
    expect(streamUrl({ protocol: "https:", host: "x.org" }, 1, 0)).toBe("wss://x.org/ws/runs/1/?after=0");
  });

  it("accepts single events and lists of events", () => {
    const { sockets, received } = setup();
    sockets[0].open();
    sockets[0].send(metric(1));
    sockets[0].send([metric(2), metric(3)]);
    expect(received).toEqual([1, 2, 3]);
    expect(parseMessage(JSON.stringify([metric(1), { hello: 1 }]))).toHaveLength(1);
  });

  it("drops events it already has", () => {
    const { sockets, received, stream } = setup();
    sockets[0].send([metric(1), metric(2)]);
    sockets[0].send([metric(2), metric(1), metric(3)]);
    sockets[0].send(metric(3));
    expect(received).toEqual([1, 2, 3]);
    expect(stream.lastSeq).toBe(3);
  });

  it("reconnects after a drop, asking for what comes after the last seq", () => {
    const { sockets, received, states } = setup();
    sockets[0].open();
    sockets[0].send([metric(1), metric(2)]);
    sockets[0].drop();
    expect(states).toContain("retrying");
    vi.advanceTimersByTime(100);
    expect(sockets).toHaveLength(2);
    expect(sockets[1].url).toContain("after=2");
    sockets[1].send([metric(2), metric(3)]);
    expect(received).toEqual([1, 2, 3]);
  });

  it("backs off, doubling the delay up to the maximum", () => {
    const { sockets, stream } = setup();
    for (let attempt = 1; attempt <= 6; attempt++) {
      sockets[sockets.length - 1].drop();
      const expected = Math.min(1000, 100 * 2 ** (attempt - 1));
      expect(stream.nextDelay()).toBe(expected);
      vi.advanceTimersByTime(expected - 1);
      expect(sockets).toHaveLength(attempt);
      vi.advanceTimersByTime(1);
      expect(sockets).toHaveLength(attempt + 1);
    }
  });

  it("starts from a given seq", () => {
    const { sockets, received } = setup(5);
    expect(sockets[0].url).toContain("after=5");
    sockets[0].send([metric(5), metric(6)]);
    expect(received).toEqual([6]);
  });

  it("reconnects to fill a gap instead of skipping events", () => {
    const { sockets, received } = setup();
    sockets[0].send([metric(1), metric(2), metric(4)]);
    expect(received).toEqual([1, 2]);
    expect(sockets[0].closed).toBe(true);
    vi.advanceTimersByTime(100);
    expect(sockets[1].url).toContain("after=2");
  });

  it("does not reconnect after the run has finished", () => {
    const { sockets, states } = setup();
    sockets[0].send([metric(1), status(2, "succeeded")]);
    sockets[0].drop(1000);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(states[states.length - 1]).toBe("done");
  });

  it("gives up when the server refuses the visitor", () => {
    const { sockets, states } = setup();
    sockets[0].drop(4404);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(states).toContain("refused");
  });

  it("stays closed once closed", () => {
    const { sockets, stream } = setup();
    stream.close();
    sockets[0].drop();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(sockets[0].closed).toBe(true);
  });
});
