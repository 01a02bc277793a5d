/**
 * A CNN run drawn on its page: the status line, curves of every metric (with a second run's curves
 * overlaid on request), the confusion matrix whose cells open their pictures, the worst mistakes and
 * the first layer's filters.
 */
import { formatCount, h } from "../shared/dom";
import { numberOf, type Run, type RunEvent } from "../shared/events";
import { runStateOf } from "../shared/runview";
import { genericStatusLine, type GenericProgress } from "../run/generic";
import { MetricBoard } from "../run/metrics";
import { pictureUrl } from "../run/pictures";
import { tableElement } from "../run/tables";

/** Where a CnnRunView draws. */
export interface CnnViewParts {
  status: HTMLElement;
  note: HTMLElement;
  curves: HTMLElement;
  confusion: HTMLElement;
  mistakes: HTMLElement;
  filters: HTMLElement;
  /** The share token the page was opened with ("" for the owner): picture files need it. */
  token?: string;
  /** A confusion cell was pressed: true class and predicted class. */
  onCell: (trueClass: number, predicted: number, labels: string[]) => void;
}

/** The run's events drawn into the page's panels. */
export class CnnRunView {
  progress: GenericProgress = CnnRunView.empty();
  private board: MetricBoard;
  private readonly parts: CnnViewParts;
  private overlaid: string | null = null;

  constructor(parts: CnnViewParts) {
    this.parts = parts;
    this.board = new MetricBoard(parts.curves);
  }

  private static empty(): GenericProgress {
    return { status: "", error: "", position: null, message: "", epoch: null, step: null, reported: false, latest: [] };
  }

  /** Forgets the run: empty panels, "Ready to train.". */
  reset(): void {
    this.progress = CnnRunView.empty();
    this.parts.curves.replaceChildren();
    this.board = new MetricBoard(this.parts.curves);
    this.overlaid = null;
    this.parts.confusion.replaceChildren();
    this.parts.mistakes.replaceChildren();
    this.parts.filters.replaceChildren();
    this.parts.note.textContent = "";
    this.parts.status.textContent = "Ready to train.";
  }

  showRun(run: Pick<Run, "status" | "queue_position">): void {
    this.progress.status = run.status;
    this.progress.position = run.queue_position;
    this.parts.status.textContent = genericStatusLine(this.progress);
  }

  handle(events: RunEvent[]): void {
    for (const event of events) {
      const step = numberOf(event.step);
      if (step !== null) this.progress.step = step;
      const data = event.data ?? {};
      if (event.type === "metric") {
        const epoch = numberOf(data.epoch);
        if (epoch !== null) this.progress.epoch = Math.max(this.progress.epoch ?? epoch, epoch);
        this.progress.reported = true;
        this.board.add(step, data);
      } else if (event.type === "table" && data.name === "confusion") this.confusion(data);
      else if (event.type === "table" && data.name === "misclassified") this.mistakes(data);
      else if (event.type === "image" && data.name === "filters") this.filters(data);
      else if (event.type === "log") this.parts.note.textContent = String(data.message ?? "");
      else if (event.type === "status") Object.assign(this.progress, runStateOf(data));
    }
    this.board.draw();
    const latest = this.board.latest();
    this.progress.latest = latest.filter((value) => value.split === "train" || value.split === "test");
    const speed = latest.find((value) => value.split === "speed")?.value;
    this.parts.status.textContent = genericStatusLine(this.progress) + (speed ? ` · ${formatCount(Math.round(speed))} pictures/s` : "");
  }

  /** Another run's train and test curves on the same charts, as "run N train" and "run N test". */
  overlay(runId: number, events: RunEvent[]): void {
    const label = `run ${runId}`;
    if (this.overlaid === label) return;
    this.overlaid = label;
    for (const event of events) {
      if (event.type !== "metric") continue;
      const data = event.data ?? {};
      if (data.split !== "train" && data.split !== "test") continue;
      this.board.add(numberOf(event.step), { ...data, split: `${label} ${String(data.split)}` });
    }
    this.board.draw();
  }

  private confusion(data: Record<string, unknown>): void {
    const labels = (Array.isArray(data.labels) ? data.labels : []).map(String);
    const table = tableElement({ ...data, name: `After epoch ${String(data.epoch ?? "")}` });
    table.querySelectorAll("tbody tr").forEach((row, trueClass) => {
      row.querySelectorAll("td").forEach((cell, predicted) => {
        const count = Number((cell.textContent ?? "0").replace(/,/g, ""));
        if (!count) return;
        const button = h("button", { type: "button", className: "cell-button", title: cell.getAttribute("title") ?? "" }, cell.textContent ?? "");
        button.addEventListener("click", () => this.parts.onCell(trueClass, predicted, labels));
        cell.replaceChildren(button);
      });
    });
    this.parts.confusion.replaceChildren(table);
  }

  private mistakes(data: Record<string, unknown>): void {
    const rows = (Array.isArray(data.rows) ? data.rows : []) as unknown[][];
    const pictures = (Array.isArray(data.pictures) ? data.pictures : []) as string[];
    if (!rows.length) {
      this.parts.mistakes.replaceChildren(h("p", { className: "hint" }, "No mistakes on the test pictures."));
      return;
    }
    this.parts.mistakes.replaceChildren(
      ...rows.map((row, index) =>
        h(
          "figure",
          { className: "mistake" },
          h("img", { src: pictures[index] ?? "", alt: `Test picture ${String(row[0])}, a ${String(row[1])}`, className: "pixelated" }),
          h("figcaption", {}, h("strong", {}, `a ${String(row[1])}`), h("span", {}, `read as ${row.slice(2).map(String).join(", ")}`)),
        ),
      ),
    );
  }

  private filters(data: Record<string, unknown>): void {
    const url = pictureUrl(String(data.url ?? ""), this.parts.token ?? "");
    this.parts.filters.replaceChildren(
      h("img", { src: url, alt: String(data.caption ?? "The first layer's filters"), className: "pixelated", width: numberOf(data.width) ?? undefined }),
      h("p", { className: "hint" }, `After epoch ${String(data.epoch ?? 0)}.`),
    );
  }
}
