/** Entry of the CNN page: loads the task, the layer palette, the datasets on disk and the visitor's uploads, then builds the page. */
import "../shared/style.css";
import "./cnn.css";
import { apiGet, ApiError } from "../shared/api";
import { mountAssignment } from "../shared/assignmentbar";
import { byId } from "../shared/dom";
import { assignmentContext, readOver, sharedConfig, withLocks } from "../shared/pagecontext";
import { shareControl } from "../shared/share";
import { parsePalette } from "../shared/palette";
import type { TaskInfo } from "../shared/tasks";
import { CnnPage } from "./page";
import { CnnState } from "./state";

async function main(): Promise<void> {
  const root = byId("cnn");
  try {
    const [tasks, palette, datasets, uploads] = await Promise.all([
      apiGet<TaskInfo[]>("tasks"),
      apiGet<unknown>("nets/layers"),
      apiGet<{ name: string; present: boolean; how: string }[]>("datasets"),
      apiGet<{ id: number; kind: string; name: string; summary: Record<string, never> }[]>("uploads").catch(() => []),
    ]);
    const task = tasks.find((t) => t.name === "cnn");
    if (!task) throw new Error("The server offers no CNN task.");
    const state = new CnnState(task);
    const shared = sharedConfig();
    const assignment = assignmentContext();
    state.readHash(location.hash);
    if (shared) {
      // A share link: its settings, then the page's own address, so a reload keeps what follows.
      state.values = { ...state.values, ...shared.config } as typeof state.values;
      history.replaceState(null, "", "/cnn");
    } else if (assignment) {
      state.values = withLocks({ ...state.values, ...assignment.config, ...readOver(location.hash, state) }, assignment) as typeof state.values;
    }
    new CnnPage(root, state, parsePalette(palette), datasets, uploads, assignment);
    document.getElementById("share-slot")?.append(shareControl(task.name, () => state.config()));
    if (assignment) mountAssignment(root, assignment);
  } catch (error) {
    root.dataset.state = "failed";
    root.textContent = error instanceof ApiError ? error.message : `The page could not start: ${String(error)}`;
    root.setAttribute("role", "alert");
  }
}

void main();
