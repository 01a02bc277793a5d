/** An assignment's page (instructions, rules, the student's submissions or the teacher's links) and its leaderboard. */
import { apiGet } from "../shared/api";
import { ruleLines } from "../shared/assignmentbar";
import { h } from "../shared/dom";
import { when } from "../shared/forms";
import type { Assignment } from "../shared/pagecontext";

interface LeaderRow {
  rank: number;
  student: string;
  score: number;
  submitted: string;
  late: boolean;
  run?: number;
}

interface Submission {
  id: number;
  student: string;
  run: number;
  score: number;
  late: boolean;
  submitted: string;
}

/** A score as the metric reads: accuracies in percent, losses to four places. */
export function scoreText(metric: string, score: number): string {
  return metric.endsWith("accuracy") ? `${(score * 100).toFixed(1)}%` : score.toFixed(4);
}

/** The leaderboard as a table (the run column only when the answer has it: the teacher's). */
export function leaderboardTable(rows: LeaderRow[], metric: string): HTMLElement {
  if (!rows.length) return h("p", { className: "hint" }, "No submissions yet.");
  const teacher = rows.some((row) => row.run !== undefined);
  return h("table", { className: "data-table leaderboard" },
    h("caption", { className: "visually-hidden" }, "Best submission of each student"),
    h("thead", {}, h("tr", {}, ["Rank", "Student", "Score", "Submitted", "", ...(teacher ? ["Run"] : [])].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rows.map((row) => h("tr", {},
      h("td", {}, String(row.rank)), h("th", { scope: "row" }, row.student), h("td", {}, scoreText(metric, row.score)),
      h("td", {}, when(row.submitted)), h("td", {}, row.late ? h("span", { className: "late" }, "late") : ""),
      teacher && row.run !== undefined ? h("td", {}, h("a", { href: `/runs/${row.run}` }, `Run ${row.run}`)) : null))),
  );
}

/** The assignment itself. */
export async function showAssignment(root: HTMLElement, assignmentId: number): Promise<void> {
  const assignment = await apiGet<Assignment>(`assignments/${assignmentId}`);
  const [board, mine] = await Promise.all([
    apiGet<LeaderRow[]>(`assignments/${assignmentId}/leaderboard`),
    apiGet<Submission[]>(`assignments/${assignmentId}/submissions`),
  ]);
  document.title = `${assignment.title} — LayerLab`;
  const instructions = h("div", { className: "instructions" });
  instructions.innerHTML = assignment.instructions_html; // sanitised by the server (classroom/markdown.py)
  const actions = assignment.is_teacher
    ? h("div", { className: "run-actions" },
        h("a", { className: "button primary", href: `/assignments/${assignmentId}/dashboard` }, "Live dashboard"),
        h("a", { className: "button", href: `/assignments/${assignmentId}/leaderboard` }, "Leaderboard"),
        h("a", { className: "button", href: `/api/assignments/${assignmentId}/grades.csv`, download: "" }, "Download grades (CSV)"))
    : h("div", { className: "run-actions" }, h("a", { className: "button primary", href: `/assignments/${assignmentId}/work` }, `Work on it on the ${assignment.task} page`));
  root.replaceChildren(
    h("h1", {}, assignment.title, h("span", { className: "run-task" }, h("a", { href: `/classes/${assignment.course}` }, assignment.course_name))),
    actions,
    h("div", { className: "class-grid" },
      h("section", { className: "panel", "aria-labelledby": "instructions-title" }, h("h2", { id: "instructions-title" }, "Instructions"),
        instructions.childNodes.length ? instructions : h("p", { className: "hint" }, "None.")),
      h("section", { className: "panel", "aria-labelledby": "rules-title" }, h("h2", { id: "rules-title" }, "Rules"), h("ul", { className: "rules" }, ruleLines(assignment).map((line) => h("li", {}, line)))),
      h("section", { className: "panel", "aria-labelledby": "board-title" }, h("h2", { id: "board-title" }, "Leaderboard"), leaderboardTable(board, assignment.metric)),
      assignment.is_teacher
        ? null
        : h("section", { className: "panel", "aria-labelledby": "mine-title" }, h("h2", { id: "mine-title" }, "Your submissions"),
            mine.length
              ? h("ul", {}, mine.map((s) => h("li", {}, h("a", { href: `/runs/${s.run}` }, `Run ${s.run}`), `: ${scoreText(assignment.metric, s.score)}, ${when(s.submitted)}${s.late ? " (late)" : ""}`)))
              : h("p", { className: "hint" }, "None yet: work on it, train, then press Submit.")),
    ),
  );
}

/** The leaderboard on a page of its own. */
export async function showLeaderboard(root: HTMLElement, assignmentId: number): Promise<void> {
  const [assignment, board] = await Promise.all([apiGet<Assignment>(`assignments/${assignmentId}`), apiGet<LeaderRow[]>(`assignments/${assignmentId}/leaderboard`)]);
  document.title = `Leaderboard: ${assignment.title} — LayerLab`;
  root.replaceChildren(
    h("h1", {}, "Leaderboard", h("span", { className: "run-task" }, h("a", { href: `/assignments/${assignmentId}` }, assignment.title))),
    h("p", { className: "hint" }, `Each student's best submission by ${assignment.metric.replace(".", " ")}; a tie goes to the earlier one.`),
    h("section", { className: "panel" }, leaderboardTable(board, assignment.metric)),
  );
}
