/** Entry of a run's page. */
import "../shared/style.css";
import { ApiError } from "../shared/api";
import { byId } from "../shared/dom";
import { showRun } from "./page";

const root = byId("run");
const token = new URLSearchParams(window.location.search).get("token") ?? "";
showRun(root, Number(root.dataset.runId), token).catch((error: unknown) => {
  root.setAttribute("role", "alert");
  root.textContent = error instanceof ApiError ? error.message : `The run could not be shown: ${String(error)}`;
});
