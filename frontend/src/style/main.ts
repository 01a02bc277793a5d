/** Entry of the Style page: loads the task, then builds the page. */
import "../shared/style.css";
import { apiGet, ApiError } from "../shared/api";
import { byId } from "../shared/dom";
import type { TaskInfo } from "../shared/tasks";
import { StylePage } from "./page";
import { StyleState } from "./state";

/** The built-in pictures' thumbnails the page carries in its HTML. */
function thumbnails(): Record<string, string> {
  const element = document.getElementById("style-thumbnails");
  try {
    return element ? (JSON.parse(element.textContent ?? "{}") as Record<string, string>) : {};
  } catch {
    return {};
  }
}

async function main(): Promise<void> {
  const root = byId("style");
  try {
    const tasks = await apiGet<TaskInfo[]>("tasks");
    const task = tasks.find((t) => t.name === "style");
    if (!task) throw new Error("The server offers no Style task.");
    const state = new StyleState(task);
    state.readHash(location.hash);
    new StylePage(root, state, thumbnails());
  } catch (error) {
    root.dataset.state = "failed";
    root.textContent = error instanceof ApiError ? error.message : `The page could not start: ${String(error)}`;
    root.setAttribute("role", "alert");
  }
}

void main();
