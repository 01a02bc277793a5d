/**
 * The bar a task's page shows while a student works on an assignment: its title, instructions
 * and rules, the locked settings, and "Submit" for the page's latest run. Each run the page
 * starts is reported to the teacher's dashboard (`POST /api/assignments/{id}/attempts`); the
 * server checks a submission again from the run's stored settings and says what breaks a rule.
 */
import { ApiError, apiPost } from "./api";
import { formatCount, h } from "./dom";
import type { Run } from "./events";
import { metricWords, type Assignment } from "./pagecontext";
import { settingName } from "./settingtext";

/** The assignment's rules as sentences. */
export function ruleLines(assignment: Assignment): string[] {
  const lines = [`Scored by ${metricWords(assignment.metric, assignment.higher_is_better)}.`];
  if (assignment.locked.length) lines.push(`Locked: ${assignment.locked.filter((n) => assignment.config[n] !== null && assignment.config[n] !== undefined).map(settingName).join(", ")}.`);
  if (assignment.max_params !== null) lines.push(`At most ${formatCount(assignment.max_params)} parameters.`);
  if (assignment.max_epochs !== null) lines.push(`At most ${formatCount(assignment.max_epochs)} epochs.`);
  if (assignment.allowed_layers.length) lines.push(`Layers allowed: ${assignment.allowed_layers.join(", ")}.`);
  if (assignment.deadline) {
    const late = assignment.late_policy === "refuse" ? "late work is refused" : "late work is marked late";
    lines.push(`Due ${new Date(assignment.deadline).toLocaleString()}; ${late}.`);
  }
  return lines;
}

/** The assignment bar; the page tells it of each run it starts. */
export class AssignmentBar {
  /** The bar's element, for the page to place. */
  readonly element: HTMLElement;
  private readonly assignment: Assignment;
  private readonly submit: HTMLButtonElement;
  private readonly result: HTMLElement;
  private run: Run | null = null;

  constructor(assignment: Assignment) {
    this.assignment = assignment;
    this.submit = h("button", { type: "button", className: "primary", disabled: true }, "Submit");
    this.result = h("p", { className: "assignment-result", role: "status" }, "Train a run, then submit it when it has finished.");
    this.submit.addEventListener("click", () => void this.submitRun());
    const instructions = h("div", { className: "instructions" });
    instructions.innerHTML = assignment.instructions_html; // sanitised by the server (classroom/markdown.py)
    this.element = h(
      "section",
      { className: "assignment-bar", "aria-labelledby": "assignment-title" },
      h("div", { className: "assignment-head" },
        h("h2", { id: "assignment-title" }, h("span", { className: "hint" }, `${assignment.course_name} · assignment `), assignment.title),
        h("a", { href: `/assignments/${assignment.id}` }, "Leaderboard and submissions"),
      ),
      instructions.childNodes.length ? h("details", { className: "subpanel" }, h("summary", {}, "Instructions"), instructions) : null,
      h("ul", { className: "rules" }, ruleLines(assignment).map((line) => h("li", {}, line))),
      h("div", { className: "assignment-actions" }, this.submit, this.result),
    );
  }

  /** A run the page started: reported to the dashboard, and the one Submit sends. */
  runStarted(run: Run): void {
    this.run = run;
    this.submit.disabled = false;
    this.submit.textContent = `Submit run ${run.id}`;
    this.result.textContent = "";
    void apiPost(`assignments/${this.assignment.id}/attempts`, { run: run.id }).catch(() => undefined);
  }

  private async submitRun(): Promise<void> {
    if (!this.run) return;
    this.submit.disabled = true;
    this.result.classList.remove("refused");
    try {
      const submission = await apiPost<{ score: number; late: boolean }>(`assignments/${this.assignment.id}/submissions`, { run: this.run.id });
      this.result.textContent = `Submitted run ${this.run.id}: score ${submission.score.toFixed(4)}${submission.late ? " (late)" : ""}.`;
    } catch (error) {
      this.result.classList.add("refused");
      this.result.textContent = `Not accepted: ${error instanceof ApiError ? error.errors.map((e) => e.message).join("; ") : String(error)}.`;
    } finally {
      this.submit.disabled = false;
    }
  }
}

/** Disables the controls of locked fields (elements marked `data-field="<name>"`) and says why. */
export function lockControls(root: HTMLElement, locked: string[]): void {
  for (const name of locked) {
    for (const element of root.querySelectorAll<HTMLElement>(`[data-field="${CSS.escape(name)}"]`)) {
      element.classList.add("locked");
      element.title = "Locked by the assignment";
      for (const control of element.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>("input, select, button, textarea")) control.disabled = true;
    }
  }
}

/**
 * The assignment on any task's page, for pages that do not wire it themselves: the bar above the
 * page, the locked controls disabled, and each run the page starts (its "open its page" link,
 * `#run-link`, gets the run's address) reported to the bar. The server checks every rule again.
 */
export function mountAssignment(root: HTMLElement, assignment: Assignment): AssignmentBar {
  const bar = new AssignmentBar(assignment);
  root.prepend(bar.element);
  lockControls(root, assignment.locked);
  const link = document.getElementById("run-link");
  let last = "";
  if (link) {
    new MutationObserver(() => {
      const match = /\/runs\/(\d+)$/.exec(link.getAttribute("href") ?? "");
      if (match && match[1] !== last) {
        last = match[1];
        bar.runStarted({ id: Number(match[1]) } as Run);
      }
    }).observe(link, { attributes: true, attributeFilter: ["href"] });
  }
  return bar;
}
