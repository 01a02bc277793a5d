/** Entry of the Text page: loads the task, the layer palette and the datasets on disk, then builds the page. */
import "../shared/style.css";
import { apiGet, ApiError } from "../shared/api";
import { mountAssignment } from "../shared/assignmentbar";
import { byId } from "../shared/dom";
import { assignmentContext, readOver, sharedConfig, withLocks } from "../shared/pagecontext";
import { shareControl } from "../shared/share";
import { parsePalette } from "../shared/palette";
import type { TaskInfo } from "../shared/tasks";
import type { DatasetInfo } from "./corpus";
import { TextPage } from "./page";
import { TextState } from "./state";

async function main(): Promise<void> {
  const root = byId("text");
  try {
    const [tasks, palette, datasets] = await Promise.all([apiGet<TaskInfo[]>("tasks"), apiGet<unknown>("nets/layers"), apiGet<DatasetInfo[]>("datasets")]);
    const task = tasks.find((t) => t.name === "text");
    if (!task) throw new Error("The server offers no Text task.");
    const state = new TextState(task);
    const shared = sharedConfig();
    const assignment = assignmentContext();
    state.readHash(location.hash);
    if (shared) {
      // A share link: its settings, then the page's own address, so a reload keeps what follows.
      state.values = { ...state.values, ...shared.config } as typeof state.values;
      history.replaceState(null, "", "/text");
    } else if (assignment) {
      state.values = withLocks({ ...state.values, ...assignment.config, ...readOver(location.hash, state) }, assignment) as typeof state.values;
    }
    new TextPage(root, state, parsePalette(palette), datasets, assignment);
    document.getElementById("share-slot")?.append(shareControl(task.name, () => state.config()));
    if (assignment) mountAssignment(root, assignment);
  } catch (error) {
    root.dataset.state = "failed";
    root.textContent = error instanceof ApiError ? error.message : `The page could not start: ${String(error)}`;
    root.setAttribute("role", "alert");
  }
}

void main();
