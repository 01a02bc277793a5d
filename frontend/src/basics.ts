/** Entry of the Basics page: loads the task and the layer palette, then builds the page. */
import "./style.css";
import { apiGet, ApiError } from "./api";
import { BasicsPage } from "./basicspage";
import { BasicsState, type TaskInfo } from "./basicsstate";
import { byId } from "./dom";
import { parsePalette } from "./palette";

async function main(): Promise<void> {
  const root = byId("basics");
  try {
    const [tasks, palette] = await Promise.all([apiGet<TaskInfo[]>("tasks"), apiGet<unknown>("nets/layers")]);
    const task = tasks.find((t) => t.name === "basics");
    if (!task) throw new Error("The server offers no Basics task.");
    const state = new BasicsState(task);
    state.readHash(location.hash);
    new BasicsPage(root, state, parsePalette(palette));
  } catch (error) {
    root.dataset.state = "failed";
    root.textContent = error instanceof ApiError ? error.message : `The page could not start: ${String(error)}`;
    root.setAttribute("role", "alert");
  }
}

void main();
