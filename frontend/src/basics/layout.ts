/** The Basics page's skeleton: bars, panels and the empty places the widgets fill. */
import { LEGEND } from "./netdiagram";

const SKELETON = `
<section class="run-bar" aria-label="Training">
  <div class="run-buttons">
    <button type="button" id="reset-button" title="New starting weights (a new seed); clears the current run">Reset</button>
    <button type="button" id="train-button" class="primary">Train</button>
    <button type="button" id="stop-button" hidden>Stop</button>
    <button type="button" id="step-button" title="Train one more epoch">Step</button>
  </div>
  <div class="epoch-counter" aria-hidden="true"><span>Epoch</span><strong id="epoch-value">0</strong></div>
  <div class="hyper" id="hyper-slot"></div>
</section>
<div class="status-row"><p class="status-line" id="status-line" role="status">Ready to train.</p><div id="share-slot"></div><a id="run-link" class="run-link" hidden>Open this run's page</a><p class="run-note hint" id="run-note"></p></div>
<div class="page-errors" id="page-errors" role="alert"></div>
<div class="basics-grid">
  <section class="panel data-panel" aria-labelledby="data-title">
    <h2 id="data-title">Data</h2>
    <div id="dataset-slot"></div>
    <div id="data-slot" class="field-stack"></div>
    <button type="button" id="regenerate-button" class="small" title="New points from the same settings (a new data seed)">Regenerate data</button>
    <details class="subpanel" id="points-details"><summary>Your own points</summary><div id="points-slot"></div></details>
    <details class="subpanel" open><summary>Stop condition</summary><div id="stop-slot" class="field-stack"></div></details>
    <details class="subpanel"><summary>More settings</summary><div id="more-slot" class="field-stack"></div></details>
  </section>
  <div class="middle-column">
  <section class="panel network-panel" aria-labelledby="network-title">
    <h2 id="network-title">Network</h2>
    <p class="hint">Features are the inputs: press one to use it or drop it. Edges are weights, <span class="key-negative">orange</span> negative and <span class="key-positive">blue</span> positive, thicker when larger. Each square pictures its neuron's output over the plane.</p>
    <div id="diagram-slot"></div>
  </section>
  <div class="chart-row">
    <section class="panel" id="accuracy-panel" aria-labelledby="accuracy-title"><h3 id="accuracy-title" class="chart-title">Accuracy (%) <span class="series-key"><span class="key-train">train</span> <span class="key-test">test</span></span></h3><div id="accuracy-chart" class="chart"></div></section>
    <section class="panel" aria-labelledby="grad-title"><h3 id="grad-title" class="chart-title">Gradient norm of each layer's weights</h3><div id="grad-chart" class="chart"><p class="hint">Appears while training.</p></div></section>
  </div>
  </div>
  <section class="panel output-panel" aria-labelledby="output-title">
    <h2 id="output-title">Output</h2>
    <div class="surface-box">
      <div class="heatmap-frame">
        <canvas id="heatmap" width="600" height="600" role="img" aria-label="The network's output over the input plane, with the data points"></canvas>
        <span class="axis axis-x">x₁ from −6 to 6</span><span class="axis axis-y">x₂ from −6 to 6</span>
      </div>
      <div class="legend" aria-hidden="true"><span>−1</span><span class="legend-bar" style="background:linear-gradient(90deg, ${LEGEND.negative}, #f6f6f4, ${LEGEND.positive})"></span><span>1</span></div>
      <div class="toggles" id="toggle-slot"></div>
    </div>
    <div class="loss-box">
      <h3 class="chart-title">Loss <span class="series-key"><span class="key-train">train</span> <span class="key-test">test</span></span></h3>
      <div id="loss-chart" class="chart"></div>
    </div>
  </section>
</div>
<div id="lessons-slot"></div>
<div id="layers-slot"></div>
`;

/** Fills the page's root element with the skeleton. */
export function buildSkeleton(root: HTMLElement): void {
  root.innerHTML = SKELETON;
  root.dataset.state = "ready";
}
