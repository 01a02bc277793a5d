/** Turns a Style run's events into the page: the picture as it forms, the four losses, the status line, the download. */
import { formatLoss, h } from "../shared/dom";
import { numberOf, type Run, type RunEvent } from "../shared/events";
import { LineChart } from "../shared/linechart";
import { runStateOf, stateText, type RunState } from "../shared/runview";
import { pictureUrl } from "../run/pictures";

/** The losses the task reports each iteration, with their words and colours. */
export const LOSSES = [
  { key: "total", label: "total", color: "#25313f" },
  { key: "content", label: "content", color: "#166eb5" },
  { key: "style", label: "style", color: "#d9682b" },
  { key: "tv", label: "smoothness", color: "#2e965a", dash: [4, 3] },
] as const;

/** The latest numbers of a run, and its state. */
export interface StyleProgress extends RunState {
  iteration: number | null;
  iterations: number | null;
  losses: Record<string, number | null>;
  /** The first total loss, to say how far it has fallen. */
  firstTotal: number | null;
}

/** The pieces of a page a StyleRunView draws into. */
export interface StyleViewParts {
  status: HTMLElement;
  note?: HTMLElement;
  chart: LineChart;
  /** The result as it forms, and at the end. */
  result: HTMLImageElement;
  caption: HTMLElement;
  download: HTMLAnchorElement;
  /** Where the run's content and style pictures go (the run's page); the Style page shows its own. */
  inputs?: HTMLElement;
  /** The share token the page was opened with. */
  token?: string;
}

/** A chart of the four losses per iteration, on a log scale (they span several decades). */
export function lossesChart(container: HTMLElement, height: number): LineChart {
  return new LineChart(container, {
    title: "Total, content, style and smoothness losses per iteration (log scale)",
    series: LOSSES.map((l) => ({ label: l.label, color: l.color, dash: "dash" in l ? [...l.dash] : undefined })),
    height,
    logScale: true,
    xLabel: "iteration",
  });
}

/** A key naming each line of the losses chart in its colour. */
export function lossesKey(): HTMLElement {
  return h("span", { className: "series-key losses-key" }, LOSSES.map((l) => h("span", { style: `--key:${l.color}` }, l.label)));
}

/**
 * The status line: "Iteration 40 of 150 · total 1.23 (from 845, 687× lower) · content 0.2 · style 0.001 · smoothness 0.02",
 * led by the run's state where it is not simply painting ("Queued", "Finished").
 */
export function statusLine(progress: StyleProgress): string {
  const parts: string[] = [];
  if (progress.iteration !== null) parts.push(`Iteration ${progress.iteration}${progress.iterations ? ` of ${progress.iterations}` : ""}`);
  const { total, content, style, tv } = progress.losses;
  if (total !== null && total !== undefined) {
    const first = progress.firstTotal;
    const fallen = first && total > 0 && first / total >= 2 ? ` (${Math.round(first / total)}× lower than at the start)` : "";
    parts.push(`total loss ${formatLoss(total)}${fallen}`);
  }
  if (content !== null && content !== undefined) parts.push(`content ${formatLoss(content)}`);
  if (style !== null && style !== undefined) parts.push(`style ${formatLoss(style)}`);
  if (tv !== null && tv !== undefined) parts.push(`smoothness ${formatLoss(tv)}`);
  const state = stateText(progress, progress.iteration !== null);
  if (state) parts.unshift(state);
  return parts.join(" · ") || "Ready to paint.";
}

function emptyProgress(iterations: number | null = null): StyleProgress {
  return { iteration: null, iterations, losses: {}, firstTotal: null, status: "", error: "", position: null, message: "" };
}

/** Draws one Style run from its events. */
export class StyleRunView {
  /** The latest numbers. */
  progress: StyleProgress = emptyProgress();
  /** Called after each batch of events. */
  onProgress: ((progress: StyleProgress) => void) | null = null;
  /** Called when the full-size result arrives: its URL and file name. */
  onFinal: ((url: string, filename: string) => void) | null = null;
  private readonly parts: StyleViewParts;
  private frames = 0;

  constructor(parts: StyleViewParts) {
    this.parts = parts;
  }

  /** Forgets everything drawn (a new run). */
  reset(iterations: number | null = null): void {
    this.progress = emptyProgress(iterations);
    this.frames = 0;
    this.parts.chart.clear();
    this.parts.result.removeAttribute("src");
    this.parts.result.hidden = true;
    this.parts.result.dataset.frames = "0";
    this.parts.caption.textContent = "The picture appears here as it forms.";
    this.parts.download.hidden = true;
    this.parts.status.textContent = statusLine(this.progress);
    if (this.parts.note) this.parts.note.textContent = "";
    this.onProgress?.(this.progress);
  }

  /** Shows a run's state as the API answered it, before its events arrive. */
  showRun(run: Pick<Run, "status" | "queue_position"> & { config?: Record<string, unknown> }): void {
    this.progress.status = run.status;
    this.progress.position = run.queue_position;
    this.progress.message = "";
    const iterations = numberOf(run.config?.iterations);
    if (iterations !== null) this.progress.iterations = iterations;
    this.parts.status.textContent = statusLine(this.progress);
  }

  /** Draws a batch of events in order. */
  handle(events: RunEvent[]): void {
    for (const event of events) {
      const data = event.data;
      if (event.type === "status") Object.assign(this.progress, runStateOf(data));
      else if (event.type === "metric" && data.split === "loss") this.loss(event.step, data);
      else if (event.type === "image") this.picture(data);
      else if (event.type === "log" && this.parts.note && typeof data.message === "string") this.parts.note.textContent = data.message;
    }
    this.parts.status.textContent = statusLine(this.progress);
    this.onProgress?.(this.progress);
  }

  private loss(step: number | null, data: Record<string, unknown>): void {
    if (step === null) return;
    this.progress.iteration = step;
    LOSSES.forEach((l, index) => {
      const value = numberOf(data[l.key]);
      this.progress.losses[l.key] = value;
      this.parts.chart.put(step, index, value);
    });
    if (this.progress.firstTotal === null) this.progress.firstTotal = numberOf(data.total);
  }

  private picture(data: Record<string, unknown>): void {
    const url = typeof data.url === "string" ? pictureUrl(data.url, this.parts.token ?? "") : "";
    if (!url) return;
    const name = String(data.name);
    if (name === "result" || name === "final") {
      this.frames += 1;
      this.parts.result.src = url;
      this.parts.result.hidden = false;
      this.parts.result.alt = typeof data.caption === "string" ? data.caption : "The result";
      this.parts.result.dataset.frames = String(this.frames);
      this.parts.caption.textContent = typeof data.caption === "string" ? data.caption : "";
    }
    if (name === "final") {
      const filename = typeof data.download === "string" ? data.download : "style.png";
      this.parts.download.href = url;
      this.parts.download.download = filename;
      this.parts.download.hidden = false;
      this.parts.result.dataset.final = "true";
      if (data.state === "stopped") this.parts.caption.textContent += " (stopped early)";
      this.onFinal?.(url, filename);
    } else if (this.parts.inputs && /^(content|style\d*)$/.test(name)) {
      const figure = h("figure", { className: "input-picture", "data-name": name }, h("img", { src: url, alt: String(data.caption ?? name) }), h("figcaption", {}, name === "content" ? "Content" : name === "style" ? "Style" : "Second style"));
      this.parts.inputs.querySelector(`[data-name="${name}"]`)?.remove();
      this.parts.inputs.append(figure);
    }
  }
}
