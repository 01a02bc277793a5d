/** A Style run on its page: its content and style pictures, the picture as it formed, the losses and the download. */
import { h } from "../shared/dom";
import type { MountRunView } from "../shared/runview";
import { lossesChart, lossesKey, StyleRunView } from "./runview";

/** Lays out a Style run's panels under the page's title and status line, and draws its events into them. */
export const mountStyleRun: MountRunView = ({ root, run, status, note, settings, token }) => {
  const inputs = h("div", { className: "input-pictures" });
  const result = h("img", { alt: "", hidden: true, className: "run-result" });
  const caption = h("figcaption", { className: "hint" }, "The picture appears here as it forms.");
  const download = h("a", { className: "button", hidden: true }, "Download PNG");
  const chart = h("div", { className: "chart" });
  root.append(
    h(
      "div",
      { className: "run-grid style-run" },
      h(
        "section",
        { className: "panel style-result", "aria-labelledby": "run-result-title" },
        h("h2", { id: "run-result-title" }, "Result"),
        h("figure", { className: "result-frame" }, result, caption),
        download,
        h("h3", { className: "chart-title" }, "Losses ", lossesKey()),
        chart,
      ),
      h("section", { className: "panel", "aria-labelledby": "run-inputs-title" }, h("h2", { id: "run-inputs-title" }, "Pictures"), inputs),
      settings,
    ),
  );
  const view = new StyleRunView({ status, note, chart: lossesChart(chart, 170), result, caption, download, inputs, token });
  view.showRun(run);
  return view;
};
