/** A Text run on its page: its layers, the loss and gradient charts, the samples, the sampler and the embedding map. */
import { LayerStackBuilder } from "../shared/builder";
import { h } from "../shared/dom";
import { inspectNet } from "../shared/netspec";
import type { MountRunView } from "../shared/runview";
import { EmbeddingMap } from "./embedding";
import { TextRunView } from "./runview";
import { Sampler } from "./sampler";
import { SamplesPanel } from "./samples";

function panel(id: string, title: string, ...children: (HTMLElement | null)[]): HTMLElement {
  return h("section", { className: "panel", "aria-labelledby": id }, h("h2", { id }, title), ...children);
}

/** Lays out a Text run's panels under the page's title and status line, and draws its events into them. */
export const mountTextRun: MountRunView = ({ root, run, status, note, settings, palette, token }) => {
  const lossBox = h("div", { className: "chart" });
  const gradBox = h("div", { className: "chart" });
  const layersBox = h("div", { className: "builder-box" });
  const samples = new SamplesPanel();
  const embedding = new EmbeddingMap();
  const sampler = new Sampler({ runId: () => run.id, token });
  root.append(
    h(
      "div",
      { className: "text-grid run-text-grid" },
      h("div", { className: "field-stack" }, panel("run-net-title", "Network", layersBox), settings),
      h(
        "div",
        { className: "middle-column" },
        panel("run-loss-title", "Loss in bits per character", lossBox),
        panel("run-grad-title", "Gradient norm of each layer", gradBox),
      ),
      h("div", { className: "writing-column" }, panel("run-samples-title", "Samples while training", samples.element), panel("run-sampler-title", "Write with it", sampler.element), panel("run-embedding-title", "Character embeddings", embedding.element)),
    ),
  );
  if (run.net) {
    const layers = new LayerStackBuilder(layersBox, { palette, inspect: inspectNet, label: "The run's network as layers", editable: false, debounceMs: 0 });
    layers.setNet(run.net);
  }
  return new TextRunView({ lossBox, gradBox, status, note, samples, embedding });
};
