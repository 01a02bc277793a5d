/** Entry of the Text page: loads the task, the layer palette and the datasets on disk, then builds the page. */
import "../shared/style.css";
import { apiGet } from "../shared/api";
import { parsePalette } from "../shared/palette";
import { PageState } from "../shared/state";
import { startTaskPage } from "../shared/taskpage";
import type { DatasetInfo } from "./corpus";
import { TextPage } from "./page";

void startTaskPage({
  task: "text",
  title: "Text",
  state: (task) => new PageState(task),
  load: () => Promise.all([apiGet<unknown>("nets/layers"), apiGet<DatasetInfo[]>("datasets")]),
  build: ({ root, state, assignment }, [palette, datasets]) => new TextPage(root, state, parsePalette(palette), datasets, assignment),
});
