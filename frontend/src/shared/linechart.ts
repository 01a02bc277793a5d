/** A live line chart (uPlot): series share an x axis (epochs) and grow as metrics arrive. */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/** Labels a log10 axis tick: whole powers as "0.01", "1", "100" or "1e-5", others left blank. */
export function powerOfTen(exponent: number): string {
  if (!Number.isInteger(exponent)) return "";
  if (exponent >= -3 && exponent <= 3) return String(Number((10 ** exponent).toFixed(3)));
  return `1e${exponent}`;
}

/** Bounds of a chart's y axis: ends that never move, and the least span it shows. */
export interface YBounds {
  min?: number;
  max?: number;
  /** The axis spans at least this much, so that small noise stays small on the screen. */
  minSpan?: number;
  /** Rounds the free ends out to whole numbers (decades on a log10 chart). */
  whole?: boolean;
}

/** Accuracy in percent: always the whole 0–100 %, so 49 % against 51 % looks like the noise it is. */
export const PERCENT_AXIS: YBounds = { min: 0, max: 100 };
/** Loss: from zero up, so a flat loss looks flat. */
export const LOSS_AXIS: YBounds = { min: 0 };
/** A rate (pictures per second): from zero up, so a steady rate looks steady, not like noise. */
export const RATE_AXIS: YBounds = { min: 0 };
/** log10 of a positive quantity: at least one decade, ending on powers of ten. */
export const DECADES_AXIS: YBounds = { minSpan: 1, whole: true };

/** The y range a chart shows for data from `low` to `high` (null: no data yet) within `bounds`. */
export function yRange(low: number | null, high: number | null, bounds: YBounds): [number, number] {
  const minSpan = bounds.minSpan ?? 0;
  let lo = bounds.min ?? low ?? 0;
  let hi = bounds.max ?? high ?? lo + Math.max(minSpan, 1);
  if (bounds.whole) [lo, hi] = [Math.floor(lo), Math.ceil(hi)];
  else if (low !== null && high !== null) {
    const pad = (hi - lo) * 0.05;
    if (bounds.min === undefined) lo -= pad;
    if (bounds.max === undefined) hi += pad;
  }
  const missing = minSpan - (hi - lo);
  if (missing > 0) {
    if (bounds.min !== undefined || bounds.whole) hi += missing;
    else if (bounds.max !== undefined) lo -= missing;
    else [lo, hi] = [lo - missing / 2, hi + missing / 2];
  }
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

/** How many values a series holds (null: no value at that x). */
export function valuesIn(series: ArrayLike<number | null | undefined>): number {
  let count = 0;
  for (let i = 0; i < series.length; i++) if (series[i] !== null && series[i] !== undefined) count++;
  return count;
}

/** One line of a chart. */
export interface SeriesDef {
  label: string;
  color: string;
  dash?: number[];
}

/** Options of a LineChart. */
export interface LineChartOptions {
  /** The accessible name of the chart. */
  title: string;
  series: SeriesDef[];
  xLabel?: string;
  yLabel?: string;
  height?: number;
  /** Plots log10 of the values (positive values only), with the axis labelled in powers of ten. */
  logScale?: boolean;
  /** Bounds of the y axis (default: follows the data; a log scale spans whole decades). */
  y?: YBounds;
  /** Shows uPlot's legend under the chart (for series the page does not name itself). */
  legend?: boolean;
}

/** Rows of a chart held as columns: x values, and one column per series (null where missing). */
export class SeriesTable {
  /** The x values, ascending. */
  readonly xs: number[] = [];
  /** One column per series. */
  readonly columns: (number | null)[][];

  constructor(count: number) {
    this.columns = Array.from({ length: count }, () => []);
  }

  /** Sets series `index` at `x`, adding a row for a new x in order. */
  put(x: number, index: number, value: number | null): void {
    let row = this.xs.length - 1;
    if (row < 0 || this.xs[row] < x) {
      this.xs.push(x);
      for (const column of this.columns) column.push(null);
      row = this.xs.length - 1;
    } else if (this.xs[row] !== x) {
      row = this.xs.findIndex((existing) => existing >= x);
      if (this.xs[row] !== x) {
        this.xs.splice(row, 0, x);
        for (const column of this.columns) column.splice(row, 0, null);
      }
    }
    this.columns[index][row] = value !== null && Number.isFinite(value) ? value : null;
  }

  /** Empties the table. */
  clear(): void {
    this.xs.length = 0;
    for (const column of this.columns) column.length = 0;
  }
}

/** A uPlot chart that redraws once per frame however many points arrive. */
export class LineChart {
  /** The data behind the chart. */
  readonly table: SeriesTable;
  private readonly plot: uPlot;
  private readonly container: HTMLElement;
  private readonly logScale: boolean;
  private frame = 0;

  constructor(container: HTMLElement, options: LineChartOptions) {
    this.container = container;
    this.logScale = options.logScale ?? false;
    this.table = new SeriesTable(options.series.length);
    container.setAttribute("role", "img");
    container.setAttribute("aria-label", options.title);
    const width = Math.max(200, container.clientWidth || 300);
    const bounds = options.y ?? (options.logScale ? DECADES_AXIS : {});
    this.plot = new uPlot(
      {
        width,
        height: options.height ?? 160,
        legend: { show: options.legend ?? false, live: false },
        cursor: { show: true, drag: { x: false, y: false } },
        scales: { x: { time: false }, y: { auto: true, range: (_plot: uPlot, low: number | null, high: number | null) => yRange(low, high, bounds) } },
        axes: [
          { label: options.xLabel, labelSize: options.xLabel ? 18 : 0, size: 30, stroke: "#5b6470", grid: { stroke: "#eceef0" }, ticks: { show: false } },
          {
            label: options.yLabel,
            labelSize: options.yLabel ? 18 : 0,
            size: 46,
            stroke: "#5b6470",
            grid: { stroke: "#eceef0" },
            ticks: { show: false },
            values: options.logScale ? (_plot: uPlot, splits: number[]) => splits.map(powerOfTen) : undefined,
          },
        ],
        series: [
          { label: options.xLabel ?? "x" },
          // A series of one value (the first test after epoch 1, the first speed) has no line yet: a dot.
          ...options.series.map((s) => ({ label: s.label, stroke: s.color, width: 2, dash: s.dash, spanGaps: true,
            points: { show: (plot: uPlot, index: number) => valuesIn(plot.data[index]) === 1, size: 7, fill: s.color } })),
        ],
      },
      [[], ...options.series.map(() => [])] as uPlot.AlignedData,
      container,
    );
    new ResizeObserver(() => this.resize()).observe(container);
  }

  /** Sets one series' value at x and schedules a redraw. */
  put(x: number, index: number, value: number | null): void {
    this.table.put(x, index, this.logScale ? (value !== null && value > 0 ? Math.log10(value) : null) : value);
    this.schedule();
  }

  /** Removes every point. */
  clear(): void {
    this.table.clear();
    this.schedule();
  }

  /** Removes the chart from the page. */
  destroy(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.plot.destroy();
  }

  /** How many x values the chart holds. */
  get length(): number {
    return this.table.xs.length;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.plot.setData([this.table.xs, ...this.table.columns] as uPlot.AlignedData);
      this.container.dataset.points = String(this.table.xs.length);
    });
  }

  private resize(): void {
    const width = Math.floor(this.container.clientWidth);
    if (width > 0 && Math.abs(width - this.plot.width) > 1) this.plot.setSize({ width, height: this.plot.height });
  }
}
