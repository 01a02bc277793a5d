/** Turns a Basics run's events into pictures: surface, points, curves, network and the status line. */
import { SERIES_COLORS } from "../shared/colors";
import { formatLoss } from "../shared/dom";
import { numberOf, type MetricData, type Point, type PointsData, type Run, type RunEvent, type SurfaceData, type UnitsData, type WeightsData } from "../shared/events";
import { LineChart, LOSS_AXIS, PERCENT_AXIS } from "../shared/linechart";
import { decodePlanes } from "../shared/planes";
import { runStateOf, stateText, type RunState } from "../shared/runview";
import type { Heatmap, LabelKind } from "./heatmap";
import type { NetDiagram } from "./netdiagram";

/** The pieces of a page a RunView draws into. */
export interface RunViewParts {
  heatmap: Heatmap;
  lossChart: LineChart;
  accuracyChart?: LineChart;
  gradBox?: HTMLElement;
  diagram?: NetDiagram;
  status: HTMLElement;
  /** Where the run's latest log message goes (why it stopped early, a warning). */
  note?: HTMLElement;
}

/** The latest numbers of a run, and its state. */
export interface RunProgress extends RunState {
  epoch: number | null;
  step: number | null;
  trainLoss: number | null;
  testLoss: number | null;
  trainAccuracy: number | null;
  testAccuracy: number | null;
}

const TRAIN_TEST = [
  { label: "train", color: SERIES_COLORS.train },
  { label: "test", color: SERIES_COLORS.test },
];

/** A run's loss chart: train and test per epoch, on an axis from zero up. */
export function lossChart(container: HTMLElement, height: number): LineChart {
  return new LineChart(container, { title: "Train and test loss per epoch", series: TRAIN_TEST, height, y: LOSS_AXIS });
}

/** A run's accuracy chart: train and test per epoch, in percent on a fixed 0–100 axis. */
export function accuracyChart(container: HTMLElement, height: number): LineChart {
  return new LineChart(container, { title: "Train and test accuracy per epoch", series: TRAIN_TEST, height, y: PERCENT_AXIS });
}

/** Decides how point labels are coloured: by the problem when known, else by the labels themselves. */
export function labelKindOf(points: Point[], problem?: string): LabelKind {
  if (problem && /regress/i.test(problem)) return "regression";
  const labels = new Set(points.map((p) => p[2]));
  if ([...labels].some((label) => !Number.isInteger(label))) return "regression";
  return labels.size > 2 || [...labels].some((label) => label > 1) ? "classes" : "binary";
}

/**
 * Writes the status line: "Epoch 12 · step 480 · train loss 0.312 · test loss 0.298 · test accuracy 94%",
 * led by the run's state where it is not simply training ("Queued: 2 runs ahead of yours", "Paused").
 */
export function statusLine(progress: RunProgress): string {
  const parts: string[] = [];
  if (progress.epoch !== null) parts.push(`Epoch ${progress.epoch}`);
  if (progress.step !== null) parts.push(`step ${progress.step}`);
  if (progress.trainLoss !== null) parts.push(`train loss ${formatLoss(progress.trainLoss)}`);
  if (progress.testLoss !== null) parts.push(`test loss ${formatLoss(progress.testLoss)}`);
  if (progress.testAccuracy !== null) parts.push(`test accuracy ${Math.round(progress.testAccuracy * 100)}%`);
  else if (progress.trainAccuracy !== null) parts.push(`train accuracy ${Math.round(progress.trainAccuracy * 100)}%`);
  const state = stateText(progress, progress.epoch !== null);
  if (state) parts.unshift(state);
  return parts.join(" · ") || "Ready to train.";
}

function emptyProgress(): RunProgress {
  return { epoch: null, step: null, trainLoss: null, testLoss: null, trainAccuracy: null, testAccuracy: null, status: "", error: "", position: null, message: "" };
}

/** Draws one run (or a chain of continued runs) from its events. */
export class RunView {
  /** The latest numbers. */
  progress: RunProgress = emptyProgress();
  /** Called after each batch of events. */
  onProgress: ((progress: RunProgress) => void) | null = null;
  /** The problem type from the configuration, when the page knows it. */
  problem = "";
  private readonly parts: RunViewParts;
  private gradChart: LineChart | null = null;
  private gradCount = 0;
  private points: PointsData | null = null;

  constructor(parts: RunViewParts) {
    this.parts = parts;
  }

  /** Forgets everything drawn (a new run from scratch). */
  reset(): void {
    this.progress = emptyProgress();
    this.parts.lossChart.clear();
    this.parts.accuracyChart?.clear();
    this.gradChart?.clear();
    this.parts.heatmap.setSurface(null);
    this.parts.diagram?.clearPictures();
    this.parts.status.textContent = statusLine(this.progress);
    if (this.parts.note) this.parts.note.textContent = "";
    this.onProgress?.(this.progress);
  }

  /** Shows a run's state as the API answered it, before its events arrive. */
  showRun(run: Pick<Run, "status" | "queue_position">): void {
    this.progress.status = run.status;
    this.progress.position = run.queue_position;
    this.progress.message = "";
    this.parts.status.textContent = statusLine(this.progress);
  }

  /** Shows data points (from a preview or a run's `points` table). */
  showPoints(train: Point[], test: Point[]): void {
    this.points = { name: "points", train, test };
    this.parts.heatmap.setPoints(train, test, labelKindOf([...train, ...test], this.problem));
  }

  /** Draws a batch of events in order. */
  handle(events: RunEvent[]): void {
    for (const event of events) {
      if (event.step !== null && event.step !== undefined) this.progress.step = event.step;
      if (event.type === "metric") this.metric(event.data as unknown as MetricData);
      else if (event.type === "image") this.image(event.data);
      else if (event.type === "table") this.table(event.data);
      else if (event.type === "log" && this.parts.note) this.parts.note.textContent = String(event.data.message ?? "");
      else if (event.type === "status") Object.assign(this.progress, runStateOf(event.data));
    }
    this.parts.status.textContent = statusLine(this.progress);
    this.onProgress?.(this.progress);
  }

  private metric(data: MetricData): void {
    const epoch = numberOf(data.epoch);
    if (epoch === null) return;
    this.progress.epoch = Math.max(this.progress.epoch ?? 0, epoch);
    if (data.split === "grad") return this.grads(epoch, data.norms ?? []);
    const index = data.split === "test" ? 1 : 0;
    const loss = numberOf(data.loss);
    const accuracy = numberOf(data.accuracy);
    this.parts.lossChart.put(epoch, index, loss);
    if (accuracy !== null) this.parts.accuracyChart?.put(epoch, index, accuracy * 100);
    if (index === 0) {
      this.progress.trainLoss = loss;
      this.progress.trainAccuracy = accuracy;
    } else {
      this.progress.testLoss = loss;
      this.progress.testAccuracy = accuracy;
    }
  }

  private grads(epoch: number, norms: (number | null)[]): void {
    const box = this.parts.gradBox;
    if (!box || !norms.length) return;
    if (!this.gradChart || this.gradCount !== norms.length) {
      this.gradChart?.destroy();
      box.replaceChildren();
      this.gradCount = norms.length;
      this.gradChart = new LineChart(box, {
        title: "Gradient norm of each layer's weights, per epoch",
        series: norms.map((_, k) => ({ label: k === norms.length - 1 ? "output" : `layer ${k + 1}`, color: SERIES_COLORS.grad[k % SERIES_COLORS.grad.length] })),
        height: 130,
        logScale: true,
        legend: true,
      });
    }
    norms.forEach((norm, k) => this.gradChart?.put(epoch, k, numberOf(norm)));
  }

  private image(data: Record<string, unknown>): void {
    if (data.name === "surface") {
      const surface = data as unknown as SurfaceData;
      const planes = decodePlanes(surface.values, surface.width, surface.height, surface.channels, surface.min, surface.max);
      this.parts.heatmap.setSurface(planes, surface.width, surface.height, surface.extent);
      this.parts.diagram?.setOutputs(planes, surface.width, surface.height);
    } else if (data.name === "units") {
      this.parts.diagram?.setUnits(data as unknown as UnitsData);
    }
  }

  private table(data: Record<string, unknown>): void {
    if (data.name === "points") {
      const points = data as unknown as PointsData;
      this.showPoints(points.train ?? [], points.test ?? []);
    } else if (data.name === "weights") {
      this.parts.diagram?.setWeights((data as unknown as WeightsData).weights);
    }
  }

  /** The points shown now. */
  get shownPoints(): PointsData | null {
    return this.points;
  }
}
