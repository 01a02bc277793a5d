/**
 * Which view draws a run on its page: a task with a view of its own names it here (loaded only
 * when such a run is shown); any other task's runs get the generic view, which shows every kind
 * of event. `?view=generic` in the page's address asks for the generic view whatever the task.
 */
import type { MountRunView } from "../shared/runview";
import { mountGenericRun } from "./generic";

/** Each task's own run view, by task name. */
export const TASK_VIEWS: Record<string, () => Promise<MountRunView>> = {
  basics: () => import("../basics/runpage").then((module) => module.mountBasicsRun),
  cnn: () => import("../cnn/runpage").then((module) => module.mountCnnRun),
  text: () => import("../text/runpage").then((module) => module.mountTextRun),
  style: () => import("../style/runpage").then((module) => module.mountStyleRun),
};

/** The view names the page's address may ask for. */
export type ViewChoice = "task" | "generic";

/** Reads the view the address asks for (`?view=generic`), else the task's own. */
export function viewChoice(search: string): ViewChoice {
  return new URLSearchParams(search).get("view") === "generic" ? "generic" : "task";
}

/** The view for a run of `task`: its own where it has one (unless the generic one is asked for), else the generic one. */
export async function runViewFor(task: string, choice: ViewChoice = "task"): Promise<MountRunView> {
  const load = choice === "task" ? TASK_VIEWS[task] : undefined;
  return load ? load() : (parts) => mountGenericRun(parts);
}
