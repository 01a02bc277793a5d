/** Entry of the Basics page: loads the task and the layer palette, then builds the page. */
import "../shared/style.css";
import { apiGet } from "../shared/api";
import { parsePalette } from "../shared/palette";
import { startTaskPage } from "../shared/taskpage";
import { BasicsPage } from "./page";
import { BasicsState } from "./state";

void startTaskPage({
  task: "basics",
  title: "Basics",
  state: (task) => new BasicsState(task),
  load: () => apiGet<unknown>("nets/layers"),
  build: ({ root, state, assignment }, palette) => new BasicsPage(root, state, parsePalette(palette), assignment),
});
