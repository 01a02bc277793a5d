/** The Style page's skeleton: the run bar, the pictures, the network, the result, the gallery and the lessons. */
import { runBarHtml } from "../shared/runbar";

const SKELETON = `${runBarHtml({ label: "Iteration", id: "iteration-value" }, "Ready to paint.")}
<div class="style-grid">
  <section class="panel style-pictures" aria-labelledby="pictures-title">
    <h2 id="pictures-title">Pictures</h2>
    <div class="chosen-pair" id="chosen-pair"></div>
    <div id="content-slot"></div>
    <div id="style-slot"></div>
    <details class="subpanel" id="second-style"><summary>Blend a second style</summary><div id="style-b-slot"></div><div id="blend-slot" class="field-stack"></div></details>
  </section>
  <section class="panel style-network" aria-labelledby="network-title">
    <h2 id="network-title">Layers of VGG-19</h2>
    <p class="hint" id="network-note">Content layers keep what is in the picture; style layers match which features fire together (their Gram matrices).</p>
    <div id="layers-slot"></div>
    <h3 class="weights-title">How much each loss counts</h3>
    <div id="weights-slot" class="weights-row"></div>
    <div id="colour-slot"></div>
    <details class="subpanel"><summary>More settings</summary><div id="more-slot" class="field-stack"></div></details>
    <p class="estimate" id="estimate" aria-live="polite"></p>
  </section>
  <section class="panel style-result" aria-labelledby="result-title">
    <h2 id="result-title">Result</h2>
    <figure class="result-frame">
      <img id="result-image" alt="" hidden>
      <figcaption id="result-caption" class="hint">The picture appears here as it forms.</figcaption>
    </figure>
    <a id="download-link" class="button" hidden>Download PNG</a>
    <h3 class="chart-title">Losses <span id="losses-key"></span></h3>
    <div id="losses-chart" class="chart"></div>
  </section>
</div>
<section class="panel gallery" aria-labelledby="gallery-title">
  <h2 id="gallery-title">Your finished pictures</h2>
  <div id="gallery-slot" class="gallery-list"><p class="hint">Pictures you finish appear here.</p></div>
</section>
<div id="lessons-slot"></div>
`;

/** Fills the page's root element with the skeleton. */
export function buildSkeleton(root: HTMLElement): void {
  root.innerHTML = SKELETON;
  root.dataset.state = "ready";
}
