/** Entry of the Basics page: loads the task and the layer palette, then builds the page. */
import "../shared/style.css";
import { apiGet, ApiError } from "../shared/api";
import { byId } from "../shared/dom";
import { parsePalette } from "../shared/palette";
import { assignmentContext, sharedConfig, withLocks } from "../shared/pagecontext";
import type { TaskInfo } from "../shared/tasks";
import { BasicsPage } from "./page";
import { BasicsState } from "./state";

async function main(): Promise<void> {
  const root = byId("basics");
  try {
    const [tasks, palette] = await Promise.all([apiGet<TaskInfo[]>("tasks"), apiGet<unknown>("nets/layers")]);
    const task = tasks.find((t) => t.name === "basics");
    if (!task) throw new Error("The server offers no Basics task.");
    const state = new BasicsState(task);
    const shared = sharedConfig();
    const assignment = assignmentContext();
    if (shared) {
      // A share link: its settings, then the page's own address, so a reload keeps what follows.
      state.values = { ...state.values, ...shared.config } as typeof state.values;
      history.replaceState(null, "", "/basics");
    } else if (assignment) {
      // The assignment's settings, then what the student changed (the address), then the locks again.
      state.readHash(location.hash, assignment.config);
      state.values = withLocks(state.values, assignment);
    } else {
      state.readHash(location.hash);
    }
    new BasicsPage(root, state, parsePalette(palette), assignment);
  } catch (error) {
    root.dataset.state = "failed";
    root.textContent = error instanceof ApiError ? error.message : `The page could not start: ${String(error)}`;
    root.setAttribute("role", "alert");
  }
}

void main();
