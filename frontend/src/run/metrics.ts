/**
 * Curves of every metric a run reports, whatever its task: one chart per numeric field (loss,
 * accuracy, bits per character…) with one series per split, and one chart per list field (a
 * gradient norm per layer) with one series per item. The x axis is the epoch where every point
 * of a chart has one, else the step.
 */
import { SERIES_COLORS } from "../shared/colors";
import { formatCount, formatLoss, h } from "../shared/dom";
import { numberOf } from "../shared/events";
import { LineChart, LOSS_AXIS, PERCENT_AXIS, RATE_AXIS, type LineChartOptions, type SeriesDef, type YBounds } from "../shared/linechart";

/** What the board needs of a chart. */
export type ChartLike = Pick<LineChart, "put" | "clear" | "destroy">;
/** Makes a chart in a container (a uPlot LineChart on the page; something lighter in tests). */
export type ChartFactory = (container: HTMLElement, options: LineChartOptions) => ChartLike;

/** Charts drawn with uPlot. */
export const lineChart: ChartFactory = (container, options) => new LineChart(container, options);

/** Keys of a metric's data that say where a value belongs rather than being one. */
const PLACE_KEYS = new Set(["split", "epoch", "step", "name"]);

const TITLES: Record<string, string> = {
  loss: "Loss",
  norms: "Gradient norm of each layer",
  bpc: "Bits per character",
  bits_per_char: "Bits per character",
};

/** Whether a field is an accuracy-like fraction (0–1, drawn in percent on a fixed 0–100 axis). */
export function isAccuracy(field: string): boolean {
  return /acc/i.test(field);
}

/** Whether a field is a loss-like quantity (drawn on an axis from zero up). */
export function isLoss(field: string): boolean {
  return /loss|bits|bpc|perplexity/i.test(field);
}

/** Whether a field is a speed ("images_per_second", "chars_per_sec"): drawn from zero. */
export function isRate(field: string): boolean {
  return /_per_sec(ond)?$/i.test(field);
}

/** A metric field's name in words: "accuracy" → "Accuracy (%)", "chars_per_sec" → "Chars per sec". */
export function metricTitle(field: string): string {
  const words = field.replace(/_/g, " ");
  const title = TITLES[field] ?? words.charAt(0).toUpperCase() + words.slice(1);
  return isAccuracy(field) ? `${title} (%)` : title;
}

/** A metric's value for the status line: accuracies in percent, large numbers whole, others to three decimals. */
export function metricText(field: string, value: number): string {
  if (isAccuracy(field)) return `${Math.round(value * 100)}%`;
  if (Math.abs(value) >= 1000) return formatCount(Math.round(value));
  return formatLoss(value);
}

/** The colour of a split's line: train and test (or validation) as on every page, others in turn. */
function splitColor(split: string, order: number): string {
  if (split === "train") return SERIES_COLORS.train;
  if (/^(test|val|valid|validation)$/.test(split)) return SERIES_COLORS.test;
  return SERIES_COLORS.grad[order % SERIES_COLORS.grad.length];
}

interface ChartPoint {
  step: number | null;
  epoch: number | null;
  series: number;
  value: number | null;
}

/** One chart: its points kept, so that a new series or a change of x axis redraws it whole. */
class MetricChart {
  readonly element: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly box: HTMLElement;
  private readonly series: SeriesDef[] = [];
  private readonly points: ChartPoint[] = [];
  private drawn = 0;
  private byEpoch = true;
  private chart: ChartLike | null = null;
  private stale = true;

  constructor(
    private title: string,
    private readonly options: { y?: YBounds; logScale?: boolean; scale?: number },
    private readonly charts: ChartFactory,
  ) {
    this.heading = h("h3", { className: "chart-title" }, title);
    this.box = h("div", { className: "chart" });
    this.element = h("section", { className: "metric-chart" }, this.heading, this.box);
  }

  /** The index of a series, added (and the chart redrawn whole) the first time it is named. */
  seriesIndex(label: string, color: string): number {
    const index = this.series.findIndex((s) => s.label === label);
    if (index >= 0) return index;
    this.series.push({ label, color });
    this.stale = true;
    return this.series.length - 1;
  }

  add(step: number | null, epoch: number | null, series: number, value: number | null): void {
    if (epoch === null && this.byEpoch) {
      this.byEpoch = false;
      this.stale = true;
    }
    this.points.push({ step, epoch, series, value: value === null ? null : value * (this.options.scale ?? 1) });
  }

  retitle(title: string): void {
    if (title === this.title) return;
    this.title = title;
    this.heading.textContent = title;
    this.stale = true;
  }

  /** Draws the points that arrived since the last call (all of them after a change of series or axis). */
  draw(): void {
    if (this.stale) {
      this.chart?.destroy();
      this.box.replaceChildren();
      this.chart = this.charts(this.box, {
        title: `${this.title}, per ${this.byEpoch ? "epoch" : "step"}`,
        series: [...this.series],
        xLabel: this.byEpoch ? "epoch" : "step",
        height: 150,
        legend: true,
        y: this.options.y,
        logScale: this.options.logScale,
      });
      this.drawn = 0;
      this.stale = false;
    }
    for (; this.drawn < this.points.length; this.drawn++) {
      const point = this.points[this.drawn];
      const x = this.byEpoch ? point.epoch : point.step ?? this.drawn;
      if (x !== null) this.chart!.put(x, point.series, point.value);
    }
  }
}

/** The latest value of one field of one split, for the status line. */
export interface LatestValue {
  split: string;
  field: string;
  value: number;
}

/** Every metric of a run as charts in one container, in the order fields first appear. */
export class MetricBoard {
  private readonly container: HTMLElement;
  private readonly charts: ChartFactory;
  private readonly byKey = new Map<string, MetricChart>();
  /** Each list field's charts by split, to name the split once a field comes from more than one. */
  private readonly listSplits = new Map<string, Map<string, MetricChart>>();
  private readonly splitOrder: string[] = [];
  private readonly latestValues = new Map<string, LatestValue>();

  constructor(container: HTMLElement, charts: ChartFactory = lineChart) {
    this.container = container;
    this.charts = charts;
  }

  /** Takes one `metric` event; `step` is the event's step. */
  add(step: number | null, data: Record<string, unknown>): void {
    const split = typeof data.split === "string" ? data.split : "";
    if (!this.splitOrder.includes(split)) this.splitOrder.push(split);
    const epoch = numberOf(data.epoch);
    for (const [field, raw] of Object.entries(data)) {
      if (PLACE_KEYS.has(field)) continue;
      if (Array.isArray(raw)) this.addList(field, split, step, epoch, raw);
      else if (typeof raw === "number" || raw === null) this.addNumber(field, split, step, epoch, numberOf(raw));
    }
  }

  /** Draws what arrived since the last call. */
  draw(): void {
    for (const chart of this.byKey.values()) chart.draw();
  }

  /** How many charts the board shows. */
  get size(): number {
    return this.byKey.size;
  }

  /** The latest value of each field of each split, splits in the order they came, fields too. */
  latest(): LatestValue[] {
    return [...this.latestValues.values()].sort((a, b) => this.splitOrder.indexOf(a.split) - this.splitOrder.indexOf(b.split));
  }

  private chart(key: string, title: string, options: { y?: YBounds; logScale?: boolean; scale?: number }): MetricChart {
    let chart = this.byKey.get(key);
    if (!chart) {
      chart = new MetricChart(title, options, this.charts);
      this.byKey.set(key, chart);
      this.container.append(chart.element);
    }
    return chart;
  }

  private addNumber(field: string, split: string, step: number | null, epoch: number | null, value: number | null): void {
    const accuracy = isAccuracy(field);
    const chart = this.chart(field, metricTitle(field), accuracy ? { y: PERCENT_AXIS, scale: 100 } : { y: isLoss(field) ? LOSS_AXIS : isRate(field) ? RATE_AXIS : undefined });
    const series = chart.seriesIndex(split || field, splitColor(split, this.splitOrder.indexOf(split)));
    chart.add(step, epoch, series, value);
    if (value !== null) this.latestValues.set(`${split}\u0000${field}`, { split, field, value });
  }

  private addList(field: string, split: string, step: number | null, epoch: number | null, values: unknown[]): void {
    const splits = this.listSplits.get(field) ?? new Map<string, MetricChart>();
    this.listSplits.set(field, splits);
    const chart = this.chart(`${field}\u0000${split}`, metricTitle(field), { logScale: /norm/i.test(field) });
    splits.set(split, chart);
    if (splits.size > 1) for (const [name, each] of splits) each.retitle(name ? `${metricTitle(field)} (${name})` : metricTitle(field));
    values.forEach((value, index) => {
      const series = chart.seriesIndex(`layer ${index + 1}`, SERIES_COLORS.grad[index % SERIES_COLORS.grad.length]);
      chart.add(step, epoch, series, numberOf(value));
    });
  }
}
