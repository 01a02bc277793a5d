/** The dataset choice: one radio button per dataset of the schema, each with a thumbnail of its points. */
import { css } from "../shared/colors";
import { h, uniqueId } from "../shared/dom";
import type { Point } from "../shared/events";
import { choiceText } from "../shared/fields";
import type { FieldInfo } from "../shared/schema";
import { labelColor } from "./heatmap";
import { labelKindOf } from "./runview";

/** Draws points on a small canvas over the plane [-6, 6]². */
export function drawThumbnail(canvas: HTMLCanvasElement, points: Point[]): void {
  const context = canvas.getContext("2d");
  if (!context) return;
  const { width, height } = canvas;
  context.fillStyle = "#f6f6f4";
  context.fillRect(0, 0, width, height);
  const kind = labelKindOf(points);
  for (const [x1, x2, label] of points) {
    context.fillStyle = css(labelColor(label, kind));
    context.fillRect(((x1 + 6) / 12) * width - 1.5, ((6 - x2) / 12) * height - 1.5, 3, 3);
  }
}

/** A radio group of datasets. */
export class DatasetPicker {
  /** The fieldset holding the radios. */
  readonly element: HTMLFieldSetElement;
  private readonly radios = new Map<string, HTMLInputElement>();
  private readonly canvases = new Map<string, HTMLCanvasElement>();

  constructor(field: FieldInfo, onPick: (dataset: string) => void) {
    const name = uniqueId("dataset");
    this.element = h("fieldset", { className: "datasets", "data-field": field.name }, h("legend", {}, "Dataset"));
    for (const choice of field.choices ?? []) {
      const value = String(choice);
      const radio = h("input", { type: "radio", name, value, className: "radio-hidden" });
      radio.addEventListener("change", () => radio.checked && onPick(value));
      const canvas = h("canvas", { width: 48, height: 48, "aria-hidden": "true" });
      if (value === "custom") drawThumbnail(canvas, []);
      this.radios.set(value, radio);
      this.canvases.set(value, canvas);
      this.element.append(h("label", { className: "dataset", title: value === "custom" ? "Your own points" : choiceText(value) }, radio, canvas, h("span", {}, value === "custom" ? "Your own" : choiceText(value))));
    }
  }

  /** Checks the radio of a dataset. */
  setValue(dataset: unknown): void {
    const radio = this.radios.get(String(dataset));
    if (radio) radio.checked = true;
  }

  /** Draws a dataset's thumbnail. */
  setThumbnail(dataset: string, points: Point[]): void {
    const canvas = this.canvases.get(dataset);
    if (canvas) drawThumbnail(canvas, points);
  }

  /** The datasets offered. */
  get choices(): string[] {
    return [...this.radios.keys()];
  }
}
