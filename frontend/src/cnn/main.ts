/** Entry of the CNN page: loads the task, the layer palette, the datasets on disk and the visitor's uploads, then builds the page. */
import "../shared/style.css";
import "./cnn.css";
import { apiGet } from "../shared/api";
import { parsePalette } from "../shared/palette";
import { startTaskPage } from "../shared/taskpage";
import { CnnPage } from "./page";
import { CnnState } from "./state";

void startTaskPage({
  task: "cnn",
  title: "CNN",
  state: (task) => new CnnState(task),
  load: () =>
    Promise.all([
      apiGet<unknown>("nets/layers"),
      apiGet<{ name: string; present: boolean; how: string }[]>("datasets"),
      apiGet<{ id: number; kind: string; name: string; summary: Record<string, never> }[]>("uploads").catch(() => []),
    ]),
  build: ({ root, state, assignment }, [palette, datasets, uploads]) => new CnnPage(root, state, parsePalette(palette), datasets, uploads, assignment),
});
