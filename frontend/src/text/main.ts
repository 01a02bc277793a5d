/** Entry of the Text page: loads the task, the layer palette and the datasets on disk, then builds the page. */
import "../shared/style.css";
import { apiGet, ApiError } from "../shared/api";
import { byId } from "../shared/dom";
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
    state.readHash(location.hash);
    new TextPage(root, state, parsePalette(palette), datasets);
  } catch (error) {
    root.dataset.state = "failed";
    root.textContent = error instanceof ApiError ? error.message : `The page could not start: ${String(error)}`;
    root.setAttribute("role", "alert");
  }
}

void main();
