/**
 * What a run's page asks of the view that draws a task's events (`run/views.ts` picks one per
 * task), and the words every view's status line starts with: why a run waits, that it is
 * preparing, or how it ended.
 */
import { numberOf, type Run, type RunEvent } from "./events";
import type { LayerTypeSpec } from "./palette";

/** What the run's page gives a view: the run, the place to draw and the elements the page keeps. */
export interface RunPageParts {
  /** The page's root: the view appends its panels after the title, the actions and the status line. */
  root: HTMLElement;
  run: Run;
  /** The status line (`role="status"`): the view writes the run's state and latest numbers into it. */
  status: HTMLElement;
  /** Beside the status line: the run's latest log message, where a view shows one. */
  note: HTMLElement;
  /** The run's settings as a panel, for the view to place. */
  settings: HTMLElement;
  /** The layer types of `GET /api/nets/layers`, to draw the run's `net`. */
  palette: LayerTypeSpec[];
  /** The share token the page was opened with ("" for the owner): pictures served as files need it too. */
  token: string;
}

/** A view drawing one run. */
export interface RunViewHandle {
  /** Shows the run's state as the API answered it, before its events arrive. */
  showRun(run: Pick<Run, "status" | "queue_position">): void;
  /** Draws a batch of events in order. */
  handle(events: RunEvent[]): void;
}

/** Builds a task's view of a run on its page. */
export type MountRunView = (parts: RunPageParts) => RunViewHandle;

/** A run's state as its status events say it. */
export interface RunState {
  status: string;
  error: string;
  /** While queued: the run's place in the queue (1: it starts next). */
  position: number | null;
  /** While queued: why the run waits, when the server says. */
  message: string;
  /** While queued: the server's estimate of the seconds until it starts (scale-out), else null. */
  wait?: number | null;
}

/** Reads a `status` event's data into the run's state. */
export function runStateOf(data: Record<string, unknown>): RunState {
  return {
    status: String(data.status ?? ""),
    error: String(data.error ?? ""),
    position: numberOf(data.position),
    message: typeof data.message === "string" ? data.message : "",
    wait: numberOf(data.wait),
  };
}

/** An estimated wait in words: "about 40 s", "about 3 min". */
export function aboutText(seconds: number): string {
  if (seconds < 60) return `about ${Math.max(5, Math.round(seconds / 5) * 5)} s`;
  return `about ${Math.round(seconds / 60)} min`;
}

/** Says why a queued run waits: the server's reason, else its place in the queue. */
export function waitingText(position: number | null, message: string, wait: number | null = null): string {
  if (message) return message;
  if (position === null) return "Queued";
  if (position <= 1) return "Starting next";
  const ahead = position - 1;
  const about = wait !== null && wait > 0 ? ` (${aboutText(wait)})` : "";
  return `Queued: ${ahead} run${ahead === 1 ? "" : "s"} ahead of yours${about}`;
}

const ENDED: Record<string, string> = { paused: "Paused", succeeded: "Finished", cancelled: "Stopped", failed: "Failed" };

/**
 * The words a status line starts with ("Queued: 2 runs ahead of yours", "Paused", "Failed: why"),
 * or "" while the run trains; `reported` says whether any numbers came yet (before them a running
 * run is still preparing).
 */
export function stateText(state: RunState, reported: boolean): string {
  if (state.status === "queued") return waitingText(state.position, state.message, state.wait ?? null);
  if (state.status === "running" && !reported) return "Starting: preparing the data and the network…";
  if (ENDED[state.status]) return ENDED[state.status] + (state.error ? `: ${state.error}` : "");
  return "";
}
