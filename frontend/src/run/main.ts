/** Entry of a run's page. */
import "../shared/style.css";
import { ApiError } from "../shared/api";
import { byId } from "../shared/dom";
import { showRun } from "./page";

const root = byId("run");
showRun(root, Number(root.dataset.runId), window.location.search).catch((error: unknown) => {
  root.setAttribute("role", "alert");
  root.textContent = error instanceof ApiError ? error.message : `The run could not be shown: ${String(error)}`;
});
