/**
 * The top of every training page: Train and Stop, the counter (epoch, step or iteration), the
 * slot for the settings that stay in view, then the status line (`role="status"`), Share, the
 * run's link and note, and the page's errors. One markup, so every page reads alike to a
 * screen reader and to the browser tests, and one behaviour for its buttons, link and errors.
 */
import type { ApiProblem } from "./api";
import { byId, h } from "./dom";
import type { Run } from "./events";
import type { Trainer, TrainerState } from "./trainer";

/** The run bar's markup. */
export function runBarHtml(counter: { label: string; id: string }, ready: string): string {
  return `
<section class="run-bar" aria-label="Training">
  <div class="run-buttons">
    <button type="button" id="train-button" class="primary">Train</button>
    <button type="button" id="stop-button" hidden>Stop</button>
  </div>
  <div class="epoch-counter" aria-hidden="true"><span>${counter.label}</span><strong id="${counter.id}">0</strong></div>
  <div class="hyper" id="hyper-slot"></div>
</section>
<div class="status-row"><p class="status-line" id="status-line" role="status">${ready}</p><div id="share-slot"></div><a id="run-link" class="run-link" hidden>Open this run's page</a><p class="run-note hint" id="run-note"></p></div>
<div class="page-errors" id="page-errors" role="alert"></div>`;
}

/** Train starts a run, pauses the running one or resumes the paused one; Stop ends it. */
export function wireRunButtons(trainer: Trainer): void {
  byId("train-button").addEventListener("click", () => {
    const state = trainer.state;
    if (state === "running" || state === "queued") void trainer.pause();
    else if (state === "paused") void trainer.resume();
    else if (state !== "starting") void trainer.train();
  });
  byId("stop-button").addEventListener("click", () => void trainer.stop());
}

/**
 * Train's words and Stop's presence for where training stands, which the page also says on
 * `<body data-training>` (the assignment bar's Submit and the browser tests wait on it).
 */
export function showTrainerState(state: TrainerState): void {
  const train = byId<HTMLButtonElement>("train-button");
  const active = state === "running" || state === "queued" || state === "paused";
  train.textContent = state === "paused" ? "Resume" : active ? "Pause" : "Train";
  train.disabled = state === "starting";
  byId("stop-button").hidden = !active;
  document.body.dataset.training = state;
}

/** The link to the page of the run just started (the assignment bar follows it). */
export function showRunLink(run: Run): void {
  const link = byId<HTMLAnchorElement>("run-link");
  link.href = `/runs/${run.id}`;
  link.textContent = `Run ${run.id}: open its page`;
  link.hidden = false;
}

/** The problems no control shows, each a line under the run bar. */
export function showPageErrors(problems: ApiProblem[], words: (problem: ApiProblem) => string = (problem) => problem.message): void {
  byId("page-errors").replaceChildren(...problems.map((problem) => h("p", {}, words(problem))));
}
