/** A live line chart (uPlot): series share an x axis (epochs) and grow as metrics arrive. */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/** Labels a log10 axis tick: whole powers as "0.01", "1", "100" or "1e-5", others left blank. */
export function powerOfTen(exponent: number): string {
  if (!Number.isInteger(exponent)) return "";
  if (exponent >= -3 && exponent <= 3) return String(Number((10 ** exponent).toFixed(3)));
  return `1e${exponent}`;
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
    this.plot = new uPlot(
      {
        width,
        height: options.height ?? 160,
        legend: { show: options.legend ?? false, live: false },
        cursor: { show: true, drag: { x: false, y: false } },
        scales: { x: { time: false }, y: { auto: true } },
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
          ...options.series.map((s) => ({ label: s.label, stroke: s.color, width: 2, dash: s.dash, spanGaps: true, points: { show: false } })),
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
