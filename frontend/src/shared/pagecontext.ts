/**
 * What a task's page was opened with, as the server writes it into the page's HTML: a shared
 * configuration (`/s/<slug>`) or an assignment to work on (`/assignments/<id>/work`). Any
 * task's page reads it the same way.
 */
import type { PageState, State } from "./state";

/** A configuration opened from a share link. */
export interface SharedConfig {
  slug: string;
  task: string;
  config: Record<string, unknown>;
}

/** An assignment as `GET /api/assignments/{id}` answers it. */
export interface Assignment {
  id: number;
  course: number;
  course_name: string;
  title: string;
  task: string;
  config: Record<string, unknown>;
  locked: string[];
  allowed_layers: string[];
  max_params: number | null;
  max_epochs: number | null;
  metric: string;
  higher_is_better: boolean;
  deadline: string | null;
  late_policy: "mark" | "refuse";
  instructions: string;
  instructions_html: string;
  is_teacher: boolean;
}

function embedded<T>(id: string): T | null {
  const element = document.getElementById(id);
  if (!element?.textContent) return null;
  try {
    return JSON.parse(element.textContent) as T;
  } catch {
    return null;
  }
}

/** The shared configuration the page carries, if it was opened from a share link. */
export function sharedConfig(): SharedConfig | null {
  return embedded<SharedConfig>("shared-config");
}

/** The assignment the page carries, if it was opened to work on one. */
export function assignmentContext(): Assignment | null {
  return embedded<Assignment>("assignment");
}

/** The values of `config` with the assignment's locked fields put back to the assignment's own. */
export function withLocks<T extends Record<string, unknown>>(values: T, assignment: Assignment | null): T {
  if (!assignment) return values;
  const locked = Object.fromEntries(assignment.locked.filter((name) => name in assignment.config).map((name) => [name, structuredClone(assignment.config[name])]));
  return { ...values, ...locked };
}

/** The assignment's metric in words: "test accuracy (higher is better)", Style's "total loss (lower is better)". */
export function metricWords(metric: string, higherIsBetter: boolean): string {
  const [split, field] = metric.split(".");
  return `${split === "loss" ? `${field} loss` : `${split} ${field}`} (${higherIsBetter ? "higher" : "lower"} is better)`;
}

/**
 * Reads the address into a page's state: over the assignment's settings (where the page works on
 * one) and under its locks, so neither a link nor a hash change can unlock a setting.
 */
export function readAddress(state: PageState, hash: string, assignment: Assignment | null): void {
  state.readHash(hash, assignment?.config);
  state.values = withLocks(state.values, assignment);
}

/**
 * Follows the address while the page is open: a hash the visitor changes (not the page's own
 * write) is read into the state as `readAddress` does, then `reread` brings the page up to it.
 */
export function followAddress(state: PageState, assignment: Assignment | null, reread: () => void): void {
  window.addEventListener("hashchange", () => {
    if (state.isOwnHash(location.hash)) return;
    readAddress(state, location.hash, assignment);
    reread();
  });
}

/**
 * Fills a page's state from what the page was opened with: a share link's settings (the
 * address then becomes the page's own, `path`, so a reload keeps what follows), or the address
 * over an assignment's settings, or the address alone. Answers the assignment, if any.
 */
export function openState(state: PageState, path: string): Assignment | null {
  const shared = sharedConfig();
  const assignment = assignmentContext();
  if (shared) {
    state.values = { ...state.values, ...shared.config } as State;
    history.replaceState(null, "", path);
  } else {
    readAddress(state, location.hash, assignment);
  }
  return assignment;
}
