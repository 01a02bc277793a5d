/** Entry of the CNN page: loads the task, the layer palette, the datasets on disk and the visitor's uploads, then builds the page. */
import "../shared/style.css";
import "./cnn.css";
import { apiGet, ApiError } from "../shared/api";
import { byId } from "../shared/dom";
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
    state.readHash(location.hash);
    new CnnPage(root, state, parsePalette(palette), datasets, uploads);
  } catch (error) {
    root.dataset.state = "failed";
    root.textContent = error instanceof ApiError ? error.message : `The page could not start: ${String(error)}`;
    root.setAttribute("role", "alert");
  }
}

void main();
