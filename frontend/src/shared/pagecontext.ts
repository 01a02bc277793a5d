/**
 * What a task's page was opened with, as the server writes it into the page's HTML: a shared
 * configuration (`/s/<slug>`) or an assignment to work on (`/assignments/<id>/work`). Any
 * task's page reads it the same way.
 */

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

/** The assignment's metric in words: "test accuracy (higher is better)". */
export function metricWords(metric: string, higherIsBetter: boolean): string {
  const [split, field] = metric.split(".");
  return `${split} ${field} (${higherIsBetter ? "higher" : "lower"} is better)`;
}

/** What the address itself says, over an assignment's settings (an empty address says nothing). */
export function readOver(hash: string, state: { readHash(hash: string): void; values: Record<string, unknown> }): Record<string, unknown> {
  if (!hash.replace(/^#/, "")) return {};
  const before = state.values;
  state.readHash("");
  const defaults = state.values;
  state.readHash(hash);
  const read = Object.fromEntries(Object.entries(state.values).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(defaults[key])));
  state.values = before;
  return read;
}
