/** A Basics run on its page: the network drawing and its layers, the output surface, the loss, accuracy and gradient charts. */
import { LayerStackBuilder } from "../shared/builder";
import { h } from "../shared/dom";
import { featureText } from "../shared/fields";
import { inspectNet } from "../shared/netspec";
import type { MountRunView } from "../shared/runview";
import { Heatmap } from "./heatmap";
import { NetDiagram } from "./netdiagram";
import { accuracyChart, lossChart, RunView } from "./runview";

function seriesKey(): HTMLElement {
  return h("span", { className: "series-key" }, h("span", { className: "key-train" }, "train"), " ", h("span", { className: "key-test" }, "test"));
}

/** Lays out a Basics run's panels under the page's title and status line, and draws its events into them. */
export const mountBasicsRun: MountRunView = ({ root, run, status, note, settings, palette }) => {
  const canvas = h("canvas", { width: 600, height: 600, role: "img", "aria-label": "The network's output over the input plane, with the data points" });
  const lossBox = h("div", { className: "chart" });
  const accuracyBox = h("div", { className: "chart" });
  const gradBox = h("div", { className: "chart" });
  const diagramBox = h("div");
  const layersBox = h("div", { className: "builder-box" });
  root.append(
    h(
      "div",
      { className: "run-grid" },
      h(
        "section",
        { className: "panel", "aria-labelledby": "run-net-title" },
        h("h2", { id: "run-net-title" }, "Network"),
        diagramBox,
        run.net ? h("h3", { className: "layers-title" }, "As torch.nn layers") : null,
        layersBox,
      ),
      h("section", { className: "panel output-panel", "aria-labelledby": "run-output-title" }, h("h2", { id: "run-output-title" }, "Output"), h("div", { className: "heatmap-frame" }, canvas), h("h3", { className: "chart-title" }, "Loss", seriesKey()), lossBox),
      settings,
    ),
    h(
      "div",
      { className: "chart-row" },
      run.config.problem === "regression" ? null : h("section", { className: "panel" }, h("h3", { className: "chart-title" }, "Accuracy (%)", seriesKey()), accuracyBox),
      h("section", { className: "panel" }, h("h3", { className: "chart-title" }, "Gradient norm of each layer's weights"), gradBox),
    ),
  );
  const features = ((run.config.features ?? []) as string[]).map((key) => ({ key, label: featureText(key), active: true }));
  const hidden = (run.config.hidden ?? []) as number[];
  const diagram = new NetDiagram(diagramBox, {}, { maxLayers: hidden.length, minNeurons: 1, maxNeurons: Math.max(1, ...hidden) });
  diagram.setShape({ inputs: features, hidden, outputs: 1 });
  diagram.setEditable(false);
  if (run.net) {
    const layers = new LayerStackBuilder(layersBox, {
      palette,
      inspect: inspectNet,
      label: "The run's network as layers",
      editable: false,
      debounceMs: 0,
      onInspected: (result) => {
        const outputs = result?.output_shape.at(-1);
        if (outputs) diagram.setShape({ inputs: features, hidden, outputs });
      },
    });
    layers.setNet(run.net);
  }
  const view = new RunView({
    heatmap: new Heatmap(canvas),
    lossChart: lossChart(lossBox, 160),
    accuracyChart: accuracyChart(accuracyBox, 130),
    gradBox,
    diagram,
    status,
    note,
  });
  view.problem = String(run.config.problem ?? "");
  return view;
};
