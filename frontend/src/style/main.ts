/** Entry of the Style page: loads the task, then builds the page. */
import "../shared/style.css";
import { startTaskPage } from "../shared/taskpage";
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

void startTaskPage({
  task: "style",
  title: "Style",
  state: (task) => new StyleState(task),
  build: ({ root, state, assignment }) => new StylePage(root, state, thumbnails(), assignment),
});
