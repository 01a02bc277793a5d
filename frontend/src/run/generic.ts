/**
 * The view of a run whose task has no view of its own: the status line, curves of every metric,
 * pictures, texts, tables and the log, each panel shown once something arrives for it (docs/api.md,
 * "Events any run page can show").
 */
import { LayerStackBuilder } from "../shared/builder";
import { h } from "../shared/dom";
import { numberOf, type Run, type RunEvent } from "../shared/events";
import { inspectNet } from "../shared/netspec";
import { runStateOf, stateText, type RunPageParts, type RunState, type RunViewHandle } from "../shared/runview";
import { lineChart, MetricBoard, metricText, type ChartFactory, type LatestValue } from "./metrics";
import { PictureShelf } from "./pictures";
import { tableElement } from "./tables";
import { LogList, TextShelf } from "./texts";

/** A run's state and latest numbers, whatever its task. */
export interface GenericProgress extends RunState {
  epoch: number | null;
  step: number | null;
  /** Whether any metric came yet. */
  reported: boolean;
  latest: LatestValue[];
}

function epochText(epoch: number): string {
  return Number.isInteger(epoch) ? String(epoch) : String(Number(epoch.toFixed(2)));
}

/**
 * Writes the status line: "Finished · Epoch 3 · step 120 · train loss 0.312 · val loss 0.350 · val accuracy 91%",
 * led by the run's state where it is not simply training.
 */
export function genericStatusLine(progress: GenericProgress): string {
  const parts: string[] = [];
  const state = stateText(progress, progress.reported);
  if (state) parts.push(state);
  if (progress.epoch !== null) parts.push(`Epoch ${epochText(progress.epoch)}`);
  if (progress.step !== null) parts.push(`step ${progress.step}`);
  for (const { split, field, value } of progress.latest) parts.push(`${split ? `${split} ` : ""}${field.replace(/_/g, " ")} ${metricText(field, value)}`);
  return parts.join(" · ") || "Waiting for the run's events…";
}

/** The panels of the view, in the page's order. */
type PanelName = "curves" | "pictures" | "texts" | "tables" | "log";

/** One panel of the view, hidden until it has something to show. */
function panel(id: string, title: string, body: HTMLElement, className = ""): HTMLElement {
  return h("section", { className: `panel ${className}`.trim(), "aria-labelledby": id, hidden: true }, h("h2", { id }, title), body);
}

/** The generic view's panels and what draws into them. */
export class GenericRunView implements RunViewHandle {
  /** The latest state and numbers. */
  readonly progress: GenericProgress = { status: "", error: "", position: null, message: "", epoch: null, step: null, reported: false, latest: [] };
  private readonly status: HTMLElement;
  private readonly metrics: MetricBoard;
  private readonly pictures: PictureShelf;
  private readonly texts: TextShelf;
  private readonly log: LogList;
  private readonly tables = new Map<string, HTMLElement>();
  private readonly tablesBox: HTMLElement;
  private readonly panels: Record<PanelName, HTMLElement>;

  /** Lays the panels out at the end of `root`; `side` holds what goes in the narrow column beside them. */
  constructor(root: HTMLElement, status: HTMLElement, token: string, side: (HTMLElement | null)[] = [], charts: ChartFactory = lineChart) {
    this.status = status;
    const metricsBox = h("div", { className: "metric-grid" });
    const picturesBox = h("div", { className: "picture-grid" });
    const textsBox = h("div", { className: "text-list" });
    this.tablesBox = h("div", { className: "table-list" });
    const logBox = h("div", { className: "log-box" });
    this.panels = {
      curves: panel("run-curves-title", "Curves", metricsBox),
      pictures: panel("run-pictures-title", "Pictures", picturesBox),
      texts: panel("run-texts-title", "Text", textsBox),
      tables: panel("run-tables-title", "Tables", this.tablesBox),
      log: panel("run-log-title", "Log", logBox),
    };
    root.append(
      h(
        "div",
        { className: "generic-grid" },
        h("div", { className: "generic-main" }, this.panels.curves, this.panels.pictures, this.panels.texts, this.panels.tables, this.panels.log),
        h("div", { className: "generic-side" }, side),
      ),
    );
    this.metrics = new MetricBoard(metricsBox, charts);
    this.pictures = new PictureShelf(picturesBox, token);
    this.texts = new TextShelf(textsBox);
    this.log = new LogList(logBox);
  }

  showRun(run: Pick<Run, "status" | "queue_position">): void {
    this.progress.status = run.status;
    this.progress.position = run.queue_position;
    this.progress.message = "";
    this.status.textContent = genericStatusLine(this.progress);
  }

  handle(events: RunEvent[]): void {
    for (const event of events) {
      const step = numberOf(event.step);
      if (step !== null) this.progress.step = step;
      const data = event.data ?? {};
      if (event.type === "metric") this.metric(step, data);
      else if (event.type === "text") this.show("texts", () => this.texts.add(String(data.name ?? "text"), String(data.text ?? ""), step));
      else if (event.type === "image") this.show("pictures", () => this.pictures.add(data, step));
      else if (event.type === "table") this.show("tables", () => this.table(data));
      else if (event.type === "log") this.show("log", () => this.log.add(String(data.level ?? "info"), String(data.message ?? ""), step));
      else if (event.type === "status") Object.assign(this.progress, runStateOf(data));
    }
    // Charts are made once their panel shows, so that they take its width.
    this.metrics.draw();
    this.progress.latest = this.metrics.latest();
    this.status.textContent = genericStatusLine(this.progress);
  }

  private show(name: PanelName, draw: () => void): void {
    this.panels[name].hidden = false;
    draw();
  }

  private metric(step: number | null, data: Record<string, unknown>): void {
    const epoch = numberOf(data.epoch);
    if (epoch !== null) this.progress.epoch = Math.max(this.progress.epoch ?? epoch, epoch);
    this.progress.reported = true;
    this.show("curves", () => this.metrics.add(step, data));
  }

  private table(data: Record<string, unknown>): void {
    const name = String(data.name ?? "table");
    const element = h("div", { className: "table-frame", "data-name": name }, tableElement(data));
    const shown = this.tables.get(name);
    if (shown) shown.replaceWith(element);
    else this.tablesBox.append(element);
    this.tables.set(name, element);
  }
}

/** Builds the generic view of a run: its panels, with the settings and the run's layers beside them. */
export function mountGenericRun({ root, run, status, settings, palette, token }: RunPageParts, charts: ChartFactory = lineChart): GenericRunView {
  let network: HTMLElement | null = null;
  if (run.net) {
    const layersBox = h("div", { className: "builder-box" });
    network = h("section", { className: "panel", "aria-labelledby": "run-net-title" }, h("h2", { id: "run-net-title" }, "Network"), layersBox);
    const layers = new LayerStackBuilder(layersBox, { palette, inspect: inspectNet, label: "The run's network as layers", editable: false, debounceMs: 0 });
    layers.setNet(run.net);
  }
  return new GenericRunView(root, status, token, [settings, network], charts);
}
