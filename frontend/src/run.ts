/** Entry of a run's page. */
import "./style.css";
import { ApiError } from "./api";
import { byId } from "./dom";
import { showRun } from "./runpage";

const root = byId("run");
const token = new URLSearchParams(window.location.search).get("token") ?? "";
showRun(root, Number(root.dataset.runId), token).catch((error: unknown) => {
  root.setAttribute("role", "alert");
  root.textContent = error instanceof ApiError ? error.message : `The run could not be shown: ${String(error)}`;
});
