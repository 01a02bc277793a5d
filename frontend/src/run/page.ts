/** A run's page: replays its stored events and follows it live; its settings and layers read-only; fork and share. */
import { Heatmap } from "../basics/heatmap";
import { NetDiagram } from "../basics/netdiagram";
import { accuracyChart, lossChart, RunView } from "../basics/runview";
import { apiGet } from "../shared/api";
import { LayerStackBuilder } from "../shared/builder";
import { h } from "../shared/dom";
import type { Run } from "../shared/events";
import { featureText } from "../shared/fields";
import { inspectNet } from "../shared/netspec";
import { parsePalette } from "../shared/palette";
import { RunStream } from "../shared/runstream";
import { fieldsOf, type SchemaNode } from "../shared/schema";
import { settingName, settingValue } from "../shared/settingtext";
import { propsFromFields, serializeState, type State } from "../shared/state";

/** The address that opens a run's configuration on its task's page. */
export function forkUrl(task: string, config: Record<string, unknown>, schema: SchemaNode): string {
  const fields = fieldsOf(schema);
  return `/${task}#${serializeState(config as State, propsFromFields(fields.values()))}`;
}

/** The address that lets someone else watch a run. */
export function shareUrl(origin: string, run: Run): string | null {
  return run.share_token ? `${origin}/runs/${run.id}?token=${encodeURIComponent(run.share_token)}` : null;
}

function seriesKey(): HTMLElement {
  return h("span", { className: "series-key" }, h("span", { className: "key-train" }, "train"), " ", h("span", { className: "key-test" }, "test"));
}

/** The run's settings as a table: names in words, lists as chips, in the schema's order. */
export function settingsTable(config: Record<string, unknown>, schema: SchemaNode | undefined): HTMLElement {
  const order = schema ? [...fieldsOf(schema).keys()] : [];
  const keys = [...order.filter((key) => key in config), ...Object.keys(config).filter((key) => !order.includes(key))];
  const cell = (key: string) => {
    const value = settingValue(key, config[key]);
    if (typeof value === "string") return h("td", { className: value === "none" ? "none" : null }, value);
    return h("td", {}, h("ul", { className: "chips" }, value.map((item) => h("li", {}, item))));
  };
  return h(
    "table",
    { className: "settings-table" },
    h("caption", { className: "visually-hidden" }, "The run's settings"),
    h("tbody", {}, keys.map((key) => h("tr", {}, h("th", { scope: "row" }, settingName(key)), cell(key)))),
  );
}

/** Builds the page for one run inside `root`. */
export async function showRun(root: HTMLElement, runId: number, token: string): Promise<void> {
  const query = token ? `?token=${encodeURIComponent(token)}` : "";
  const [run, tasks, palette] = await Promise.all([
    apiGet<Run>(`runs/${runId}${query}`),
    apiGet<{ name: string; title: string; schema: SchemaNode }[]>("tasks"),
    apiGet<unknown>("nets/layers"),
  ]);
  const task = tasks.find((t) => t.name === run.task);
  const status = h("p", { className: "status-line", role: "status" }, "Loading events…");
  const note = h("p", { className: "run-note hint" });
  const canvas = h("canvas", { width: 600, height: 600, role: "img", "aria-label": "The network's output over the input plane, with the data points" });
  const lossBox = h("div", { className: "chart" });
  const accuracyBox = h("div", { className: "chart" });
  const gradBox = h("div", { className: "chart" });
  const diagramBox = h("div");
  const layersBox = h("div", { className: "builder-box" });
  const actions = h("div", { className: "run-actions" });
  if (task) actions.append(h("a", { className: "button primary", href: forkUrl(run.task, run.config, task.schema) }, "Fork"));
  const share = shareUrl(window.location.origin, run);
  if (share && run.is_owner) {
    const field = h("input", { id: "share-link", type: "text", readonly: true, value: share, size: 52 });
    const copy = h("button", { type: "button", className: "small" }, "Copy");
    copy.addEventListener("click", () => {
      field.select();
      void navigator.clipboard?.writeText(share).then(() => (copy.textContent = "Copied"), () => undefined);
    });
    actions.append(h("div", { className: "field share" }, h("label", { for: "share-link" }, "Share link (anyone with it can watch)"), h("div", { className: "share-row" }, field, copy)));
  }
  root.replaceChildren(
    h("h1", {}, `Run ${run.id}`, h("span", { className: "run-task" }, task?.title ?? run.task)),
    actions,
    h("div", { className: "status-row" }, status, note),
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
      h("section", { className: "panel", "aria-labelledby": "run-config-title" }, h("h2", { id: "run-config-title" }, "Settings"), settingsTable(run.config, task?.schema)),
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
      palette: parsePalette(palette),
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
  view.showRun(run);
  new RunStream({
    runId: run.id,
    token: token || undefined,
    onEvents: (events) => {
      view.handle(events);
      root.dataset.lastSeq = String(events[events.length - 1].seq);
    },
    onState: (state) => {
      if (state === "refused") status.textContent = "This run is not yours, and the link has no valid share token.";
    },
  }).start();
}
