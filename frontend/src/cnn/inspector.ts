/**
 * The inspector: draw a picture on a canvas (white on black, as MNIST's digits are) or pick a test
 * picture by its number, then see the class probabilities, every convolution's feature maps and a
 * saliency map, all from short jobs on the run's latest weights.
 */
import { errorWords } from "../shared/api";
import { byId, h } from "../shared/dom";
import type { Run } from "../shared/events";
import { runJob } from "../shared/jobs";

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

/** What the inspector needs to know of the page. */
export interface InspectorSource {
  /** The run whose weights answer, if any. */
  run(): Run | null;
  /** The classes of the chosen data. */
  classes(): string[];
  /** How many test pictures there are to pick from. */
  testPictures(): number;
}

/**
 * The inspector panel wired into the page's skeleton (`#drawing-slot`, `#prediction-slot`,
 * `#maps-slot`, `#saliency-slot`, `#visual-slot`): it asks only once the run has saved weights.
 */
export class Inspector {
  /** Whether the run has saved weights to ask. */
  ready = false;
  private readonly source: InspectorSource;
  private readonly pad: DrawingPad;

  constructor(source: InspectorSource) {
    this.source = source;
    this.pad = new DrawingPad(() => void this.inspect({ drawing: this.pad.pixels() }));
    byId("drawing-slot").append(this.pad.element, this.testPicker());
    byId("visualize-button").addEventListener("click", () => void this.visualize());
    this.setReady(false);
  }

  /** Opens the inspector to the run's weights, or closes it until there are some. */
  setReady(ready: boolean): void {
    this.ready = ready;
    byId("inspector-note").textContent = ready
      ? "Draw on the black square, or pick a test picture: the run's latest weights answer."
      : "Train first: the inspector asks the run's latest weights (saved after each epoch).";
    byId<HTMLButtonElement>("visualize-button").disabled = !ready;
    byId<HTMLButtonElement>("test-show").disabled = !ready;
    document.body.dataset.inspector = ready ? "ready" : "waiting";
  }

  private testPicker(): HTMLElement {
    const input = h("input", { type: "number", id: "test-index", min: 0, value: 0 });
    const show = h("button", { type: "button", className: "small", id: "test-show" }, "Show");
    const random = h("button", { type: "button", className: "small" }, "A random one");
    show.addEventListener("click", () => void this.inspect({ index: Number(input.value) || 0 }));
    random.addEventListener("click", () => {
      input.value = String(Math.floor(Math.random() * Math.max(1, Math.min(this.source.testPictures(), 1000))));
      void this.inspect({ index: Number(input.value) });
    });
    return h("div", { className: "field test-picker" }, h("label", { for: "test-index" }, "Or a test picture, by its number"), h("div", { className: "inline" }, input, show, random));
  }

  private async inspect(picture: { drawing?: number[][]; index?: number }): Promise<void> {
    const run = this.source.run();
    const slot = byId("prediction-slot");
    if (!run || !this.ready) {
      slot.replaceChildren(h("p", { className: "hint" }, "Train first: there are no weights to ask yet."));
      return;
    }
    slot.replaceChildren(h("p", { className: "hint" }, "Asking the network…"));
    try {
      const [prediction, saliency] = await Promise.all([
        runJob<Prediction>(run.id, "predict", picture),
        runJob<{ saliency: string; class: string }>(run.id, "saliency", picture),
      ]);
      slot.replaceChildren(probabilityBars(prediction));
      byId("maps-slot").replaceChildren(...featureMaps(prediction));
      byId("saliency-slot").replaceChildren(
        h("figure", { className: "saliency" }, h("img", { src: saliency.saliency, alt: `Saliency: the pixels that move the score of ${saliency.class} most`, className: "pixelated inspected" }), h("figcaption", { className: "hint" }, `Saliency for ${saliency.class}: the brighter a pixel, the more it moves that score.`)),
      );
    } catch (error) {
      slot.replaceChildren(h("p", { className: "field-error" }, errorWords(error)));
    }
  }

  /** One short job per class, each picture shown as it comes: every job stays well within the job time limit. */
  private async visualize(): Promise<void> {
    const run = this.source.run();
    if (!run) return;
    const slot = byId("visual-slot");
    const button = byId<HTMLButtonElement>("visualize-button");
    const classes = this.source.classes();
    slot.replaceChildren();
    button.disabled = true;
    try {
      for (let index = 0; index < classes.length; index++) {
        const result = await runJob<{ pictures: { name: string; picture: string }[] }>(run.id, "visualize", { classes: [index] });
        for (const made of result.pictures) {
          slot.append(h("figure", {}, h("img", { src: made.picture, alt: `What excites class ${made.name}`, className: "pixelated" }), h("figcaption", {}, made.name)));
        }
      }
    } catch (error) {
      slot.append(h("p", { className: "field-error" }, errorWords(error)));
    } finally {
      button.disabled = !this.ready;
    }
  }
}
