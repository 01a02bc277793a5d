/** The teacher's live class dashboard: each student's current run, its status and latest metric, over a WebSocket. */
import { apiGet } from "../shared/api";
import { h } from "../shared/dom";
import type { Assignment } from "../shared/pagecontext";
import { scoreText } from "./assignment";

/** One student's row as the socket sends it. */
export interface DashboardRow {
  student: string;
  run: number | null;
  status: string;
  metric: number | null;
  epoch: number | null;
  /** The latest step any report has (Text and Style count steps, not epochs). */
  step: number | null;
  loss: number | null;
  best: number | null;
  best_run: number | null;
  submissions: number;
}

/** How far a run has come: its epoch where it counts epochs, else its step. */
export function progressText(row: Pick<DashboardRow, "epoch" | "step">): string {
  if (row.epoch !== null && row.epoch !== undefined) return `epoch ${row.epoch}`;
  if (row.step !== null && row.step !== undefined) return `step ${row.step}`;
  return "–";
}

function rowElement(row: DashboardRow, metric: string, changed: boolean): HTMLElement {
  return h("tr", { className: changed ? "changed" : null, "data-student": row.student },
    h("th", { scope: "row" }, row.student),
    h("td", {}, row.run ? h("a", { href: `/runs/${row.run}` }, `Run ${row.run}`) : h("span", { className: "hint" }, "no run yet")),
    h("td", {}, row.status ? h("span", { className: `status-chip status-${row.status}` }, row.status) : ""),
    h("td", {}, progressText(row)),
    h("td", {}, row.loss !== null ? row.loss.toFixed(4) : "–"),
    h("td", {}, row.metric !== null ? scoreText(metric, row.metric) : "–"),
    h("td", {}, row.best !== null ? scoreText(metric, row.best) : "–"),
    h("td", {}, String(row.submissions)),
  );
}

/** Builds the dashboard and keeps it live; reconnects after a dropped socket. */
export async function showDashboard(root: HTMLElement, assignmentId: number): Promise<void> {
  const assignment = await apiGet<Assignment>(`assignments/${assignmentId}`);
  document.title = `Dashboard: ${assignment.title} — LayerLab`;
  const body = h("tbody");
  const status = h("p", { className: "status-line", role: "status" }, "Connecting…");
  const metricWords = assignment.metric.replace(".", " ");
  root.replaceChildren(
    h("h1", {}, "Class dashboard", h("span", { className: "run-task" }, h("a", { href: `/assignments/${assignmentId}` }, assignment.title))),
    status,
    h("section", { className: "panel" },
      h("table", { className: "data-table dashboard-table" },
        h("caption", { className: "visually-hidden" }, "Each student's current run"),
        h("thead", {}, h("tr", {}, ["Student", "Current run", "Status", "Progress", "Training loss", metricWords, "Best submitted", "Submissions"].map((t) => h("th", { scope: "col" }, t)))),
        body)),
  );
  let previous = new Map<string, string>();
  let retry = 1000;
  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/ws/assignments/${assignmentId}/`);
    socket.onopen = () => {
      retry = 1000;
      status.textContent = "Live: rows change as students' runs report.";
    };
    socket.onmessage = (message) => {
      const data = JSON.parse(String(message.data)) as { type: string; students: DashboardRow[] };
      if (data.type !== "dashboard") return;
      const next = new Map(data.students.map((row) => [row.student, JSON.stringify(row)]));
      body.replaceChildren(...data.students.map((row) => rowElement(row, assignment.metric, previous.size > 0 && previous.get(row.student) !== next.get(row.student))));
      previous = next;
      const training = data.students.filter((row) => row.status === "running" || row.status === "queued").length;
      status.textContent = `Live: ${data.students.length} students, ${training} training now. Updated ${new Date().toLocaleTimeString()}.`;
      root.dataset.updates = String(Number(root.dataset.updates ?? "0") + 1);
    };
    socket.onclose = (event) => {
      if (event.code === 4404) {
        status.textContent = "Only the course's teacher may watch this dashboard.";
        return;
      }
      status.textContent = "Connection lost; reconnecting…";
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 15000);
    };
  };
  connect();
}
