/**
 * Turns a Text run's events into the page: the loss in bits per character against the corpus's
 * unigram entropy, each layer's gradient norm, the samples, the embedding map and the status line.
 */
import { SERIES_COLORS } from "../shared/colors";
import { formatCount, formatLoss } from "../shared/dom";
import { numberOf, type Run, type RunEvent } from "../shared/events";
import { LineChart, LOSS_AXIS } from "../shared/linechart";
import { runStateOf, stateText, type RunState } from "../shared/runview";
import type { EmbeddingMap, EmbeddingRow } from "./embedding";
import type { SamplesPanel } from "./samples";

/** The colour of the unigram-entropy line. */
export const ENTROPY_COLOR = "#8a9099";

/** The pieces of a page a TextRunView draws into. */
export interface TextViewParts {
  lossBox: HTMLElement;
  gradBox: HTMLElement;
  status: HTMLElement;
  note?: HTMLElement;
  samples: SamplesPanel;
  embedding: EmbeddingMap;
}

/** The latest numbers of a run, and its state. */
export interface TextProgress extends RunState {
  step: number | null;
  trainLoss: number | null;
  valLoss: number | null;
  speed: number | null;
}

/** "Step 120 · train loss 1.234 nats (1.78 bits/char) · validation 1.301 (1.88 bits/char) · 35,000 chars/s". */
export function statusLine(progress: TextProgress): string {
  const parts: string[] = [];
  const bits = (nats: number) => `${(nats / Math.LN2).toFixed(2)} bits/char`;
  if (progress.step !== null) parts.push(`Step ${progress.step}`);
  if (progress.trainLoss !== null) parts.push(`train loss ${formatLoss(progress.trainLoss)} (${bits(progress.trainLoss)})`);
  if (progress.valLoss !== null) parts.push(`validation loss ${formatLoss(progress.valLoss)} (${bits(progress.valLoss)})`);
  if (progress.speed !== null) parts.push(`${formatCount(progress.speed)} chars/s`);
  const state = stateText(progress, progress.trainLoss !== null || progress.valLoss !== null);
  if (state) parts.unshift(state);
  return parts.join(" · ") || "Ready to train.";
}

function emptyProgress(): TextProgress {
  return { step: null, trainLoss: null, valLoss: null, speed: null, status: "", error: "", position: null, message: "" };
}

/** Draws one Text run from its events. */
export class TextRunView {
  progress: TextProgress = emptyProgress();
  /** Called after each batch of events. */
  onProgress: ((progress: TextProgress) => void) | null = null;
  /** The unigram entropy in bits per character, once known (drawn as a line). */
  entropyBits: number | null = null;
  private readonly parts: TextViewParts;
  private readonly lossChart: LineChart;
  private gradChart: LineChart | null = null;
  private layerNames: string[] = [];

  constructor(parts: TextViewParts) {
    this.parts = parts;
    this.lossChart = new LineChart(parts.lossBox, {
      title: "Train and validation loss in bits per character, with the corpus's unigram entropy",
      series: [
        { label: "train", color: SERIES_COLORS.train },
        { label: "validation", color: SERIES_COLORS.test },
        { label: "unigram entropy", color: ENTROPY_COLOR, dash: [6, 4] },
      ],
      xLabel: "step",
      height: 190,
      y: LOSS_AXIS,
    });
  }

  /** Forgets everything drawn (a new run). */
  reset(): void {
    this.progress = emptyProgress();
    this.lossChart.clear();
    this.gradChart?.destroy();
    this.gradChart = null;
    this.parts.gradBox.replaceChildren();
    this.parts.samples.clear();
    this.parts.embedding.clear();
    this.parts.status.textContent = statusLine(this.progress);
    if (this.parts.note) this.parts.note.textContent = "";
    this.onProgress?.(this.progress);
  }

  /** Draws the entropy line across the steps shown, or from 0 to `until` before a run (from the corpus preview). */
  setEntropy(bits: number | null, until?: number): void {
    this.entropyBits = bits;
    const trained = this.lossChart.table.columns.slice(0, 2).some((column) => column.some((v) => v !== null));
    if (!trained) this.lossChart.clear();
    for (const x of [0, ...(until && !trained ? [until] : []), ...this.lossChart.table.xs]) this.lossChart.put(x, 2, bits);
  }

  /** Shows a run's state as the API answered it, before its events arrive. */
  showRun(run: Pick<Run, "status" | "queue_position">): void {
    this.progress.status = run.status;
    this.progress.position = run.queue_position;
    this.progress.message = "";
    this.parts.status.textContent = statusLine(this.progress);
  }

  /** Draws a batch of events in order. */
  handle(events: RunEvent[]): void {
    for (const event of events) {
      const step = numberOf(event.step);
      if (step !== null) this.progress.step = step;
      if (event.type === "metric") this.metric(step ?? 0, event.data);
      else if (event.type === "text" && event.data.name === "sample") this.parts.samples.add(String(event.data.text ?? ""), step, numberOf(event.data.temperature));
      else if (event.type === "table") this.table(event.data);
      else if (event.type === "log" && this.parts.note) this.parts.note.textContent = String(event.data.message ?? "");
      else if (event.type === "status") Object.assign(this.progress, runStateOf(event.data));
    }
    this.parts.status.textContent = statusLine(this.progress);
    this.onProgress?.(this.progress);
  }

  private metric(step: number, data: Record<string, unknown>): void {
    if (data.split === "grad") return this.grads(step, (data.norms as (number | null)[]) ?? []);
    if (data.split === "speed") {
      this.progress.speed = numberOf(data.chars_per_second);
      return;
    }
    const loss = numberOf(data.loss);
    const index = data.split === "val" ? 1 : 0;
    this.lossChart.put(step, index, loss === null ? null : loss / Math.LN2);
    if (this.entropyBits !== null) this.lossChart.put(step, 2, this.entropyBits);
    if (index === 0) this.progress.trainLoss = loss;
    else this.progress.valLoss = loss;
  }

  private grads(step: number, norms: (number | null)[]): void {
    if (!norms.length) return;
    if (!this.gradChart || this.gradChart.table.columns.length !== norms.length) {
      this.gradChart?.destroy();
      this.parts.gradBox.replaceChildren();
      this.gradChart = new LineChart(this.parts.gradBox, {
        title: "Gradient norm of each layer's weights, per step, before clipping",
        series: norms.map((_, k) => ({ label: this.layerNames[k] ?? `layer ${k + 1}`, color: SERIES_COLORS.grad[k % SERIES_COLORS.grad.length] })),
        xLabel: "step",
        height: 150,
        logScale: true,
        legend: true,
      });
    }
    norms.forEach((norm, k) => this.gradChart?.put(step, k, numberOf(norm)));
  }

  private table(data: Record<string, unknown>): void {
    if (data.name === "corpus") {
      this.layerNames = Array.isArray(data.layers) ? data.layers.map(String) : [];
      const bits = numberOf(data.entropy_bits);
      if (bits !== null) this.setEntropy(bits, numberOf(data.steps) ?? undefined);
    } else if (data.name === "embedding" && Array.isArray(data.rows)) {
      this.parts.embedding.show(data.rows as EmbeddingRow[]);
    }
  }
}
