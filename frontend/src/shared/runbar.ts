/**
 * The top of every training page: Train and Stop, the counter (epoch, step or iteration), the
 * slot for the settings that stay in view, then the status line (`role="status"`), Share, the
 * run's link and note, and the page's errors. One markup, so every page reads alike to a
 * screen reader and to the browser tests.
 */
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
