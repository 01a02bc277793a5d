/** The live event stream of one run over a WebSocket: resumes after the last seq, never repeats one. */
import { isTerminal, type RunEvent } from "./events";

/** The part of a WebSocket this client uses, so tests can pass a fake. */
export interface SocketLike {
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  close(code?: number): void;
}

/** Where the stream stands, for the page to show. */
export type StreamState = "connecting" | "open" | "retrying" | "done" | "refused" | "closed";

/** Options of a RunStream. */
export interface RunStreamOptions {
  runId: number;
  /** The share token for someone else's run. */
  token?: string;
  /** The last seq already held; the server sends what comes after. */
  after?: number;
  /** Receives new events in seq order, each exactly once. */
  onEvents: (events: RunEvent[]) => void;
  onState?: (state: StreamState) => void;
  /** Opens a socket; defaults to the browser's WebSocket. */
  openSocket?: (url: string) => SocketLike;
  /** The page's location, for building the socket address. */
  location?: { protocol: string; host: string };
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** The close code with which the server refuses a visitor who may not watch the run. */
export const CLOSE_REFUSED = 4404;

/** Builds the WebSocket address of a run's stream. */
export function streamUrl(location: { protocol: string; host: string }, runId: number, after: number, token?: string): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const query = new URLSearchParams({ after: String(after) });
  if (token) query.set("token", token);
  return `${scheme}://${location.host}/ws/runs/${runId}/?${query}`;
}

/** Parses one message: a single event or a list of events. */
export function parseMessage(text: string): RunEvent[] {
  const parsed: unknown = JSON.parse(text);
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.filter(
    (item): item is RunEvent => !!item && typeof item === "object" && typeof (item as RunEvent).seq === "number",
  );
}

/** A reconnecting, de-duplicating stream of one run's events. */
export class RunStream {
  /** The highest seq delivered to `onEvents`. */
  lastSeq: number;
  /** Whether a final status has been delivered (then a closed socket is not reopened). */
  finished = false;
  private socket: SocketLike | null = null;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly options: RunStreamOptions;

  constructor(options: RunStreamOptions) {
    this.options = options;
    this.lastSeq = options.after ?? 0;
  }

  /** Opens the socket. */
  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Closes the socket for good. */
  close(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
    this.options.onState?.("closed");
  }

  /** The delay before the next reconnection attempt: doubling from the minimum up to the maximum. */
  nextDelay(): number {
    const min = this.options.minDelayMs ?? 500;
    const max = this.options.maxDelayMs ?? 10000;
    return Math.min(max, min * 2 ** Math.max(0, this.attempts - 1));
  }

  /** Takes the events of one message: keeps those after lastSeq in order, and reports a gap. */
  receive(events: RunEvent[]): "ok" | "gap" {
    const fresh: RunEvent[] = [];
    let gap = false;
    for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
      if (event.seq <= this.lastSeq) continue;
      if (event.seq !== this.lastSeq + 1) {
        gap = true;
        break;
      }
      fresh.push(event);
      this.lastSeq = event.seq;
      if (event.type === "status" && isTerminal(String(event.data.status))) this.finished = true;
    }
    if (fresh.length) {
      this.attempts = 0;
      this.options.onEvents(fresh);
    }
    return gap ? "gap" : "ok";
  }

  private connect(): void {
    const openSocket = this.options.openSocket ?? ((url: string) => new WebSocket(url) as SocketLike);
    const location = this.options.location ?? window.location;
    this.options.onState?.("connecting");
    const socket = openSocket(streamUrl(location, this.options.runId, this.lastSeq, this.options.token));
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket === socket) this.options.onState?.("open");
    };
    socket.onmessage = (message: MessageEvent) => {
      if (this.socket !== socket) return;
      let events: RunEvent[];
      try {
        events = parseMessage(String(message.data));
      } catch {
        return;
      }
      if (this.receive(events) === "gap") {
        this.socket = null;
        socket.close(1000);
        this.retry();
      } else if (this.finished) {
        this.options.onState?.("done");
      }
    };
    socket.onerror = () => undefined;
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (event.code === CLOSE_REFUSED) {
        this.stopped = true;
        this.options.onState?.("refused");
      } else if (this.finished) {
        this.options.onState?.("done");
      } else {
        this.retry();
      }
    };
  }

  private retry(): void {
    if (this.stopped || this.finished) return;
    this.attempts += 1;
    this.options.onState?.("retrying");
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped) this.connect();
    }, this.nextDelay());
  }
}
