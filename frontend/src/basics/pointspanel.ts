/** The "Your own points" controls: the label of new points, drawing on the plane, CSV upload, clearing. */
import { css, CLASS_COLORS } from "../shared/colors";
import { h, uniqueId } from "../shared/dom";
import type { Point } from "../shared/events";
import { parsePointsCsv, pointsToCsv } from "./points";

/** What the panel asks of the page. */
export interface PointsPanelHooks {
  /** Replaces the custom points (switching to the custom dataset). */
  setPoints(points: Point[]): void;
  /** Turns drawing on the plane on or off. */
  onDrawing(drawing: boolean): void;
}

/** The panel; `label()` is the label a click gives a new point. */
export class PointsPanel {
  /** The panel's element. */
  readonly element: HTMLElement;
  /** Whether clicks on the plane add points. */
  drawing = false;
  private readonly drawButton: HTMLButtonElement;
  private readonly classSelect: HTMLSelectElement;
  private readonly targetInput: HTMLInputElement;
  private readonly count: HTMLElement;
  private readonly message: HTMLElement;
  private regression = false;

  constructor(hooks: PointsPanelHooks, currentPoints: () => Point[], classes = 3) {
    const classId = uniqueId("point-class");
    const targetId = uniqueId("point-target");
    const fileId = uniqueId("points-file");
    this.classSelect = h("select", { id: classId }, Array.from({ length: classes }, (_, k) => h("option", { value: String(k), style: `color:${css(CLASS_COLORS[k])}` }, `Class ${k}`)));
    this.targetInput = h("input", { id: targetId, type: "number", min: -1, max: 1, step: 0.1, value: 1 });
    this.drawButton = h("button", { type: "button", className: "small", "aria-pressed": "false" }, "Add points by clicking the plane");
    this.drawButton.addEventListener("click", () => this.setDrawing(!this.drawing, hooks));
    const clear = h("button", { type: "button", className: "small" }, "Clear points");
    clear.addEventListener("click", () => hooks.setPoints([]));
    const file = h("input", { id: fileId, type: "file", accept: ".csv,text/csv,text/plain" });
    file.addEventListener("change", async () => {
      const chosen = file.files?.[0];
      if (!chosen) return;
      const { points, problems } = parsePointsCsv(await chosen.text());
      this.message.textContent = problems.length ? `${problems.length} line(s) skipped: ${problems.slice(0, 3).join("; ")}` : "";
      if (points.length) hooks.setPoints(points);
      file.value = "";
    });
    const download = h("button", { type: "button", className: "small" }, "Download as CSV");
    download.addEventListener("click", () => {
      const link = h("a", { href: URL.createObjectURL(new Blob([pointsToCsv(currentPoints())], { type: "text/csv" })), download: "points.csv" });
      link.click();
      URL.revokeObjectURL(link.href);
    });
    this.count = h("p", { className: "hint" });
    this.message = h("p", { className: "field-error", role: "alert" });
    this.element = h(
      "div",
      { className: "points-panel" },
      h("div", { className: "field field-class" }, h("label", { for: classId }, "Class of new points"), this.classSelect),
      h("div", { className: "field field-target", hidden: true }, h("label", { for: targetId }, "Target of new points"), this.targetInput),
      this.drawButton,
      h("div", { className: "field" }, h("label", { for: fileId }, "Upload a CSV of x1,x2,label"), file),
      clear,
      download,
      this.count,
      this.message,
    );
  }

  /** Turns drawing on or off. */
  setDrawing(drawing: boolean, hooks?: PointsPanelHooks): void {
    this.drawing = drawing;
    this.drawButton.setAttribute("aria-pressed", String(drawing));
    this.drawButton.textContent = drawing ? "Stop adding points" : "Add points by clicking the plane";
    hooks?.onDrawing(drawing);
  }

  /** Shows the class or the target input, for the problem type. */
  setProblem(problem: string): void {
    this.regression = problem === "regression";
    (this.element.querySelector(".field-class") as HTMLElement).hidden = this.regression;
    (this.element.querySelector(".field-target") as HTMLElement).hidden = !this.regression;
  }

  /** Shows how many custom points there are, and a problem with them. */
  setStatus(count: number | null, problem = ""): void {
    this.count.textContent = count === null ? "" : `${count} point${count === 1 ? "" : "s"} of your own.`;
    this.message.textContent = problem;
  }

  /** The label a new point gets: the chosen class, or the target for regression. */
  label(): number {
    return this.regression ? Math.max(-1, Math.min(1, Number(this.targetInput.value) || 0)) : Number(this.classSelect.value);
  }
}
