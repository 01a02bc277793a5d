/** A CNN run on its page: curves, confusion matrix (cells open their pictures), worst mistakes and filters, beside its settings and layers. */
import { LayerStackBuilder } from "../shared/builder";
import { h } from "../shared/dom";
import { runJob } from "../shared/jobs";
import { inspectNet } from "../shared/netspec";
import type { MountRunView } from "../shared/runview";
import { pictureUrl } from "../run/pictures";
import { CnnRunView } from "./results";
import "./cnn.css";

function panel(id: string, title: string, ...body: HTMLElement[]): HTMLElement {
  return h("section", { className: "panel", "aria-labelledby": id }, h("h2", { id }, title), ...body);
}

/** Lays out a CNN run's panels under the page's title and status line, and draws its events into them. */
export const mountCnnRun: MountRunView = ({ root, run, status, note, settings, palette, token }) => {
  const curves = h("div", { className: "metric-grid" });
  const confusion = h("div");
  const cell = h("div", { "aria-live": "polite" });
  const mistakes = h("div", { className: "mistakes" });
  const filters = h("div", { className: "filters" });
  const layersBox = h("div", { className: "builder-box" });
  root.append(
    h(
      "div",
      { className: "generic-grid" },
      h(
        "div",
        { className: "generic-main" },
        panel("run-curves-title", "Curves", curves),
        h("div", { className: "cnn-results" }, panel("run-confusion-title", "Confusion matrix", confusion, cell), panel("run-mistakes-title", "Worst mistakes", mistakes), panel("run-filters-title", "First layer's filters", filters)),
      ),
      h("div", { className: "generic-side" }, settings, run.net ? panel("run-net-title", "Network", layersBox) : null),
    ),
  );
  if (run.net) new LayerStackBuilder(layersBox, { palette, inspect: inspectNet, label: "The run's network as layers", editable: false, debounceMs: 0 }).setNet(run.net);
  return new CnnRunView({
    status,
    note,
    curves,
    confusion,
    mistakes,
    filters,
    token,
    onCell: async (trueClass, predicted, labels) => {
      cell.replaceChildren(h("p", { className: "hint" }, "Finding the pictures…"));
      try {
        const result = await runJob<{ pictures: string[]; indices: number[] }>(run.id, "examples", { true: trueClass, predicted, limit: 24 }, token || undefined);
        cell.replaceChildren(
          h("h3", {}, `True ${labels[trueClass]}, read as ${labels[predicted]}`),
          h("div", { className: "cell-pictures" }, result.pictures.map((src, i) => h("img", { src: pictureUrl(src, token), alt: `Test picture ${result.indices[i]}`, className: "pixelated" }))),
        );
      } catch (error) {
        cell.replaceChildren(h("p", { className: "field-error" }, String(error instanceof Error ? error.message : error)));
      }
    },
  });
};
