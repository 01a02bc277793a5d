/**
 * The inspector: draw a picture on a canvas (white on black, as MNIST's digits are) or pick a test
 * picture by its number, then see the class probabilities, every convolution's feature maps and a
 * saliency map, all from short jobs on the run's latest weights.
 */
import { h } from "../shared/dom";

/** The side of the grid a drawing is sent as (the server fits it to the network's input). */
export const DRAWING_SIDE = 28;

/** A canvas to draw on with a mouse, a pen or a finger; `pixels()` gives rows of grey levels. */
export class DrawingPad {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private drawing = false;
  private last: [number, number] | null = null;
  private drawn = false;

  constructor(onDone: () => void) {
    this.canvas = h("canvas", { width: 224, height: 224, className: "drawing-pad", role: "img", "aria-label": "Drawing area: draw a digit with the mouse or a finger" });
    this.context = this.canvas.getContext("2d")!;
    this.clear();
    const at = (event: PointerEvent): [number, number] => {
      const box = this.canvas.getBoundingClientRect();
      return [((event.clientX - box.left) / box.width) * this.canvas.width, ((event.clientY - box.top) / box.height) * this.canvas.height];
    };
    this.canvas.addEventListener("pointerdown", (event) => {
      this.drawing = true;
      this.last = at(event);
      this.canvas.setPointerCapture(event.pointerId);
      this.stroke(this.last, this.last);
    });
    this.canvas.addEventListener("pointermove", (event) => {
      if (!this.drawing || !this.last) return;
      const point = at(event);
      this.stroke(this.last, point);
      this.last = point;
    });
    const end = () => {
      if (!this.drawing) return;
      this.drawing = false;
      this.last = null;
      onDone();
    };
    this.canvas.addEventListener("pointerup", end);
    this.canvas.addEventListener("pointercancel", end);
    const clear = h("button", { type: "button", className: "small" }, "Clear");
    clear.addEventListener("click", () => this.clear());
    this.element = h("div", { className: "drawing" }, h("p", { className: "hint" }, "Draw a digit:"), this.canvas, h("div", {}, clear));
  }

  /** Whether anything was drawn since the last clear. */
  get hasDrawing(): boolean {
    return this.drawn;
  }

  clear(): void {
    this.context.fillStyle = "#000";
    this.context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.drawn = false;
  }

  private stroke(from: [number, number], to: [number, number]): void {
    const c = this.context;
    c.strokeStyle = "#fff";
    c.lineWidth = this.canvas.width / 12;
    c.lineCap = "round";
    c.lineJoin = "round";
    c.beginPath();
    c.moveTo(...from);
    c.lineTo(...to);
    c.stroke();
    this.drawn = true;
  }

  /** The drawn part's bounding box on the canvas, or null when nothing is drawn. */
  private inkBox(): { x: number; y: number; width: number; height: number } | null {
    const { width, height } = this.canvas;
    const data = this.context.getImageData(0, 0, width, height).data;
    let [left, top, right, bottom] = [width, height, -1, -1];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (data[(y * width + x) * 4] > 32) [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x), Math.max(bottom, y)];
      }
    }
    return right < 0 ? null : { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
  }

  /**
   * The drawing as DRAWING_SIDE rows of grey levels 0–255, prepared as MNIST's digits were: the
   * drawn part scaled to fit a box of 20 of the 28 pixels, keeping its proportions, and centred.
   */
  pixels(): number[][] {
    const small = h("canvas", { width: DRAWING_SIDE, height: DRAWING_SIDE });
    const c = small.getContext("2d")!;
    c.fillStyle = "#000";
    c.fillRect(0, 0, DRAWING_SIDE, DRAWING_SIDE);
    c.imageSmoothingQuality = "high";
    const box = this.inkBox();
    if (box) {
      const scale = (DRAWING_SIDE * (20 / 28)) / Math.max(box.width, box.height);
      const [width, height] = [box.width * scale, box.height * scale];
      c.drawImage(this.canvas, box.x, box.y, box.width, box.height, (DRAWING_SIDE - width) / 2, (DRAWING_SIDE - height) / 2, width, height);
    }
    const data = c.getImageData(0, 0, DRAWING_SIDE, DRAWING_SIDE).data;
    const rows: number[][] = [];
    for (let y = 0; y < DRAWING_SIDE; y++) {
      const row: number[] = [];
      for (let x = 0; x < DRAWING_SIDE; x++) row.push(data[(y * DRAWING_SIDE + x) * 4]);
      rows.push(row);
    }
    return rows;
  }
}

/** What the predict job answers. */
export interface Prediction {
  classes: string[];
  probabilities: number[];
  predicted: number;
  true: number | null;
  input: string;
  feature_maps: { path: string; type: string; shape: number[]; shown: number; picture: string }[];
  epoch: number;
}

/** The probabilities as labelled bars, the best one marked. */
export function probabilityBars(prediction: Prediction): HTMLElement {
  const order = prediction.probabilities.map((p, i) => [p, i] as const);
  return h(
    "div",
    { className: "prediction" },
    h("img", { src: prediction.input, alt: "The picture the network was shown", className: "pixelated inspected" }),
    h(
      "p",
      { className: "prediction-line", "data-predicted": prediction.classes[prediction.predicted] },
      `It reads ${prediction.classes[prediction.predicted]} (${Math.round(prediction.probabilities[prediction.predicted] * 100)}%)`,
      prediction.true !== null ? `; the picture is a ${prediction.classes[prediction.true]}.` : ".",
      h("span", { className: "hint" }, ` Weights of epoch ${prediction.epoch}.`),
    ),
    h(
      "ul",
      { className: "bars", "aria-label": "Probability of each class" },
      order.map(([p, i]) =>
        h(
          "li",
          { className: i === prediction.predicted ? "best" : null },
          h("span", { className: "bar-label" }, prediction.classes[i]),
          h("span", { className: "bar" }, h("span", { className: "bar-fill", style: `width:${(p * 100).toFixed(1)}%` })),
          h("span", { className: "bar-value" }, `${(p * 100).toFixed(1)}%`),
        ),
      ),
    ),
  );
}

/** Each convolution's feature maps as one picture, with its path and shape. */
export function featureMaps(prediction: Prediction): HTMLElement[] {
  return prediction.feature_maps.map((maps) =>
    h(
      "figure",
      { className: "maps", "data-path": maps.path },
      h("img", { src: maps.picture, alt: `Feature maps of layer ${maps.path} (${maps.type}), ${maps.shape.join(" × ")}`, className: "pixelated" }),
      h("figcaption", {}, `Layer ${maps.path.includes(".") ? maps.path : Number(maps.path) + 1} ${maps.type}: ${maps.shape.join(" × ")}${maps.shown < maps.shape[0] ? ` (the first ${maps.shown} maps)` : ""}`),
    ),
  );
}
