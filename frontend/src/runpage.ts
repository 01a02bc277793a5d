/** A run's page: replays its stored events and follows it live; configuration read-only; fork and share. */
import { apiGet } from "./api";
import { SERIES_COLORS } from "./colors";
import { h } from "./dom";
import type { Point, Run, RunEvent } from "./events";
import { featureText } from "./fields";
import { Heatmap } from "./heatmap";
import { LineChart } from "./linechart";
import { NetDiagram } from "./netdiagram";
import { RunStream } from "./runstream";
import { RunView, labelKindOf } from "./runview";
import { fieldsOf, type SchemaNode } from "./schema";
import { propsFromFields, serializeState, type State } from "./state";

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

function configTable(config: Record<string, unknown>): HTMLElement {
  const show = (value: unknown) => (Array.isArray(value) ? (value.length > 12 ? `${value.length} items` : JSON.stringify(value)) : value === null ? "none" : String(value));
  return h("dl", { className: "config-table" }, Object.entries(config).map(([key, value]) => [h("dt", {}, key.replace(/_/g, " ")), h("dd", {}, show(value))]));
}

function outputsOf(events: RunEvent[], config: Record<string, unknown>): number | null {
  if (config.problem === "regression") return 1;
  const table = events.find((e) => e.type === "table" && e.data.name === "points");
  if (!table) return null;
  const points = [...((table.data.train ?? []) as Point[]), ...((table.data.test ?? []) as Point[])];
  return labelKindOf(points) === "classes" ? new Set(points.map((p) => p[2])).size : 1;
}

/** Builds the page for one run inside `root`. */
export async function showRun(root: HTMLElement, runId: number, token: string): Promise<void> {
  const query = token ? `?token=${encodeURIComponent(token)}` : "";
  const [run, tasks] = await Promise.all([apiGet<Run>(`runs/${runId}${query}`), apiGet<{ name: string; title: string; schema: SchemaNode }[]>("tasks")]);
  const task = tasks.find((t) => t.name === run.task);
  const status = h("p", { className: "status-line", role: "status" }, "Loading events…");
  const note = h("p", { className: "run-note hint" });
  const canvas = h("canvas", { width: 600, height: 600, role: "img", "aria-label": "The network's output over the input plane, with the data points" });
  const lossBox = h("div", { className: "chart" });
  const accuracyBox = h("div", { className: "chart" });
  const gradBox = h("div", { className: "chart" });
  const diagramBox = h("div");
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
      h("section", { className: "panel", "aria-labelledby": "run-net-title" }, h("h2", { id: "run-net-title" }, "Network"), diagramBox),
      h("section", { className: "panel output-panel", "aria-labelledby": "run-output-title" }, h("h2", { id: "run-output-title" }, "Output"), h("div", { className: "heatmap-frame" }, canvas), h("h3", { className: "chart-title" }, "Loss", seriesKey()), lossBox),
      h("section", { className: "panel", "aria-labelledby": "run-config-title" }, h("h2", { id: "run-config-title" }, "Configuration"), configTable(run.config)),
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
  const series = [{ label: "train", color: SERIES_COLORS.train }, { label: "test", color: SERIES_COLORS.test }];
  const view = new RunView({
    heatmap: new Heatmap(canvas),
    lossChart: new LineChart(lossBox, { title: "Train and test loss per epoch", series, height: 160 }),
    accuracyChart: new LineChart(accuracyBox, { title: "Train and test accuracy per epoch", series, height: 130 }),
    gradBox,
    diagram,
    status,
    note,
  });
  view.problem = String(run.config.problem ?? "");
  view.progress.status = run.status;
  let shaped = false;
  new RunStream({
    runId: run.id,
    token: token || undefined,
    onEvents: (events) => {
      const outputs = shaped ? null : outputsOf(events, run.config);
      if (outputs !== null) {
        shaped = true;
        diagram.setShape({ inputs: features, hidden, outputs });
        diagram.setEditable(false);
      }
      view.handle(events);
      root.dataset.lastSeq = String(events[events.length - 1].seq);
    },
    onState: (state) => {
      if (state === "refused") status.textContent = "This run is not yours, and the link has no valid share token.";
    },
  }).start();
}
