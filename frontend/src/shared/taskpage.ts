/**
 * The start of a task's page, the same for every one: the task from `GET /api/tasks` (and what
 * else the page needs, fetched at the same time), its state filled from what the page was opened
 * with (a share link, an assignment, the address), the page built over it, then Share and, for an
 * assignment, the assignment bar. A page that cannot start says why in its root, as an alert.
 */
import { ApiError, apiGet } from "./api";
import { mountAssignment } from "./assignmentbar";
import { byId } from "./dom";
import { openState, type Assignment } from "./pagecontext";
import { shareControl } from "./share";
import type { PageState } from "./state";
import type { TaskInfo } from "./tasks";

/** What a page is built from. */
export interface PageStart<S extends PageState> {
  /** The page's root element, `#<task>`. */
  root: HTMLElement;
  state: S;
  /** The assignment the page works on, if it was opened for one. */
  assignment: Assignment | null;
}

/** How one task's page starts. */
export interface TaskPage<S extends PageState, T> {
  /** The task's name, which is also its root element's id and its page's path. */
  task: string;
  /** The task in words, for the sentence that says the server lacks it. */
  title: string;
  /** The page's state over the task. */
  state: (task: TaskInfo) => S;
  /** What else the page needs from the server (nothing, where it is left out). */
  load?: () => Promise<T>;
  /** Builds the page. */
  build: (start: PageStart<S>, loaded: T) => void;
}

/** Starts a task's page. */
export async function startTaskPage<S extends PageState, T>(page: TaskPage<S, T>): Promise<void> {
  const root = byId(page.task);
  try {
    const [tasks, loaded] = await Promise.all([apiGet<TaskInfo[]>("tasks"), page.load?.() as Promise<T>]);
    const task = tasks.find((t) => t.name === page.task);
    if (!task) throw new Error(`The server offers no ${page.title} task.`);
    const state = page.state(task);
    const assignment = openState(state, `/${page.task}`);
    page.build({ root, state, assignment }, loaded);
    document.getElementById("share-slot")?.append(shareControl(task.name, () => state.config()));
    if (assignment) mountAssignment(root, assignment);
  } catch (error) {
    root.dataset.state = "failed";
    root.textContent = error instanceof ApiError ? error.message : `The page could not start: ${String(error)}`;
    root.setAttribute("role", "alert");
  }
}
