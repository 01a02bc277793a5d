/** The Text page's skeleton: the training bar, the corpus, network and writing panels, and the places widgets fill. */
import { runBarHtml } from "../shared/runbar";

const SKELETON = `${runBarHtml({ label: "Step", id: "step-value" }, "Ready to train.")}
<div class="text-grid">
  <section class="panel corpus-panel" aria-labelledby="corpus-title">
    <h2 id="corpus-title">Corpus</h2>
    <div id="corpus-slot"></div>
    <details class="subpanel"><summary>More settings</summary><div id="more-slot" class="field-stack"></div></details>
  </section>
  <div class="middle-column">
    <section class="panel" aria-labelledby="network-title">
      <h2 id="network-title">Network</h2>
      <p class="hint" id="network-input"></p>
      <div id="builder-slot" class="builder-box text-builder"></div>
      <p class="hint" id="network-decoder"></p>
      <div class="download-row">
        <button type="button" class="small" id="script-button">Download the PyTorch script</button>
        <a class="button small" id="weights-link" aria-disabled="true">Download weights</a>
      </div>
    </section>
    <section class="panel" aria-labelledby="loss-title">
      <h3 id="loss-title" class="chart-title">Loss in bits per character <span class="series-key"><span class="key-train">train</span> <span class="key-test">validation</span> <span class="key-entropy">unigram entropy</span></span></h3>
      <div id="loss-chart" class="chart"></div>
    </section>
    <section class="panel" aria-labelledby="grad-title">
      <h3 id="grad-title" class="chart-title">Gradient norm of each layer (before clipping)</h3>
      <div id="grad-chart" class="chart"><p class="hint">Appears while training.</p></div>
    </section>
  </div>
  <div class="writing-column">
    <section class="panel" aria-labelledby="samples-title">
      <h2 id="samples-title">Samples while training</h2>
      <div id="samples-controls" class="samples-controls"></div>
      <div id="samples-slot"></div>
    </section>
    <section class="panel" aria-labelledby="sampler-title">
      <h2 id="sampler-title">Write with it</h2>
      <div id="sampler-slot"></div>
    </section>
    <section class="panel" aria-labelledby="embedding-title">
      <h2 id="embedding-title">Character embeddings</h2>
      <div id="embedding-slot"></div>
    </section>
  </div>
</div>
<div id="lessons-slot"></div>
`;

/** Fills the page's root element with the skeleton. */
export function buildSkeleton(root: HTMLElement): void {
  root.innerHTML = SKELETON;
  root.dataset.state = "ready";
}
