/** The CNN page's skeleton: the run bar, then data, network and curves, then results, the inspector and lessons. */
import { runBarHtml } from "../shared/runbar";

const SKELETON = `${runBarHtml({ label: "Epoch", id: "epoch-value" }, "Ready to train.")}
<div class="cnn-grid">
  <section class="panel data-panel" aria-labelledby="data-title">
    <h2 id="data-title">Data</h2>
    <div id="dataset-slot" class="field-stack"></div>
    <p class="hint" id="dataset-note"></p>
    <div id="data-slot" class="field-stack"></div>
    <div id="examples-slot" class="examples" aria-live="polite"></div>
    <details class="subpanel"><summary>Your own pictures</summary><div id="upload-slot"></div></details>
    <details class="subpanel"><summary>More settings</summary><div id="more-slot" class="field-stack"></div></details>
  </section>
  <section class="panel network-panel" aria-labelledby="network-title">
    <h2 id="network-title">Network</h2>
    <div id="preset-slot"></div>
    <div id="volumes-slot" class="volumes"></div>
    <p id="memory-line" class="hint"></p>
    <div id="builder-slot" class="builder-box"></div>
    <div id="shapes-slot"></div>
    <div class="network-actions"><button type="button" id="export-button" class="small">Download the PyTorch script</button><a id="weights-link" class="button small" hidden>Download the trained weights (safetensors)</a></div>
  </section>
  <section class="panel curves-panel" aria-labelledby="curves-title">
    <h2 id="curves-title">Curves</h2>
    <div id="compare-slot"></div>
    <div id="curves-slot" class="metric-grid"><p class="hint">Loss, accuracy and speed appear while training.</p></div>
  </section>
</div>
<div class="cnn-results">
  <section class="panel" aria-labelledby="confusion-title"><h2 id="confusion-title">Confusion matrix</h2><p class="hint">After each epoch, on the test pictures. Press a cell to see its pictures.</p><div id="confusion-slot"></div><div id="cell-slot" aria-live="polite"></div></section>
  <section class="panel" aria-labelledby="mistakes-title"><h2 id="mistakes-title">Worst mistakes</h2><p class="hint">The test pictures the network got wrong most confidently, with its three best guesses.</p><div id="mistakes-slot" class="mistakes"></div></section>
  <section class="panel" aria-labelledby="filters-title"><h2 id="filters-title">First layer's filters</h2><p class="hint">Grey is zero, white positive, black negative; they sharpen into edge and stroke detectors as they learn.</p><div id="filters-slot" class="filters"></div></section>
</div>
<section class="panel inspector" aria-labelledby="inspector-title">
  <h2 id="inspector-title">Inspector</h2>
  <p class="hint" id="inspector-note">Train first: the inspector asks the run's latest weights (saved after each epoch).</p>
  <div class="inspector-grid">
    <div id="drawing-slot"></div>
    <div id="prediction-slot" aria-live="polite"></div>
    <div id="saliency-slot"></div>
  </div>
  <details class="subpanel" id="maps-details"><summary>Feature maps of every convolution</summary><div id="maps-slot" class="feature-maps"></div></details>
  <details class="subpanel" id="visual-details"><summary>What excites each class (gradient ascent on the input)</summary><button type="button" id="visualize-button" class="small">Make class pictures</button><div id="visual-slot" class="class-pictures" aria-live="polite"></div></details>
</section>
<div id="lessons-slot"></div>
`;

/** Fills the page's root element with the skeleton. */
export function buildSkeleton(root: HTMLElement): void {
  root.innerHTML = SKELETON;
  root.dataset.state = "ready";
}
