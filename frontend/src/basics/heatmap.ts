/** The decision or regression surface: a canvas heatmap with the data points drawn over it. */
import { css, CLASS_COLORS, diverging, type Rgb } from "../shared/colors";
import type { Point } from "../shared/events";
import { planesToRgba, upsample } from "../shared/planes";

const DISCRETE_FACTOR = 6;

/** How point labels map to colours. */
export type LabelKind = "binary" | "classes" | "regression";

/** The colour of a point's label. */
export function labelColor(label: number, kind: LabelKind): Rgb {
  if (kind === "classes") return CLASS_COLORS[Math.max(0, Math.round(label)) % CLASS_COLORS.length];
  if (kind === "binary") return diverging(label > 0 ? 1 : -1);
  return diverging(label);
}

/** A surface and its points on one canvas, redrawn at most once per frame. */
export class Heatmap {
  /** The canvas the surface is drawn on. */
  readonly canvas: HTMLCanvasElement;
  /** The input-plane extent [x1min, x1max, x2min, x2max]. */
  extent: [number, number, number, number] = [-6, 6, -6, 6];
  private image: HTMLCanvasElement | null = null;
  private planes: Float32Array[] | null = null;
  private planeSize: [number, number] = [0, 0];
  private train: Point[] = [];
  private test: Point[] = [];
  private kind: LabelKind = "binary";
  private showTest = false;
  private discretize = false;
  private frame = 0;
  /** Counts redraws, so tests can see the picture change. */
  draws = 0;
  /** Counts the surfaces received. */
  surfaces = 0;

  constructor(canvas: HTMLCanvasElement) {
    this.canvas = canvas;
  }

  /** Sets the network's output planes (null clears the surface). */
  setSurface(planes: Float32Array[] | null, width = 0, height = 0, extent?: [number, number, number, number]): void {
    this.planes = planes;
    this.planeSize = [width, height];
    if (extent) this.extent = extent;
    this.image = null;
    if (planes) this.surfaces += 1;
    this.canvas.dataset.surfaces = String(this.surfaces);
    this.schedule();
  }

  /** Sets the data points and how their labels are coloured. */
  setPoints(train: Point[], test: Point[], kind: LabelKind): void {
    this.train = train;
    this.test = test;
    this.kind = kind;
    this.schedule();
  }

  /** Shows or hides the test points. */
  setShowTest(show: boolean): void {
    this.showTest = show;
    this.schedule();
  }

  /** Draws the output as hard classes (sign, or argmax) instead of shades. */
  setDiscretize(discretize: boolean): void {
    this.discretize = discretize;
    this.image = null;
    this.schedule();
  }

  /** Converts a pixel offset on the canvas into input-plane coordinates. */
  toPlane(offsetX: number, offsetY: number): [number, number] {
    const rect = { width: this.canvas.clientWidth || this.canvas.width, height: this.canvas.clientHeight || this.canvas.height };
    const [x1min, x1max, x2min, x2max] = this.extent;
    return [x1min + (offsetX / rect.width) * (x1max - x1min), x2max - (offsetY / rect.height) * (x2max - x2min)];
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private surfaceImage(): HTMLCanvasElement | null {
    if (this.image || !this.planes) return this.image;
    const [gridWidth, gridHeight] = this.planeSize;
    // Hard classes are drawn from an enlarged, interpolated surface so the boundary is smooth, not stepped.
    const factor = this.discretize ? DISCRETE_FACTOR : 1;
    const planes = factor === 1 ? this.planes : this.planes.map((plane) => upsample(plane, gridWidth, gridHeight, factor));
    const [width, height] = [gridWidth * factor, gridHeight * factor];
    const image = document.createElement("canvas");
    image.width = width;
    image.height = height;
    const context = image.getContext("2d");
    if (!context) return null;
    context.putImageData(new ImageData(planesToRgba(planes, this.discretize), width, height), 0, 0);
    this.image = image;
    return image;
  }

  /** Draws the surface and points now. */
  draw(): void {
    const context = this.canvas.getContext("2d");
    if (!context) return;
    const { width, height } = this.canvas;
    context.clearRect(0, 0, width, height);
    const image = this.surfaceImage();
    if (image) {
      context.imageSmoothingEnabled = true;
      context.drawImage(image, 0, 0, width, height);
    } else {
      context.fillStyle = "#f6f6f4";
      context.fillRect(0, 0, width, height);
    }
    this.drawPoints(context, this.train, "#ffffff");
    if (this.showTest) this.drawPoints(context, this.test, "#1b1f24");
    this.draws += 1;
    this.canvas.dataset.draws = String(this.draws);
  }

  private drawPoints(context: CanvasRenderingContext2D, points: Point[], stroke: string): void {
    const { width, height } = this.canvas;
    const [x1min, x1max, x2min, x2max] = this.extent;
    const radius = Math.max(2.5, width / 110);
    context.lineWidth = 1;
    context.strokeStyle = stroke;
    for (const [x1, x2, label] of points) {
      const x = ((x1 - x1min) / (x1max - x1min)) * width;
      const y = ((x2max - x2) / (x2max - x2min)) * height;
      context.beginPath();
      context.arc(x, y, radius, 0, 2 * Math.PI);
      context.fillStyle = css(labelColor(label, this.kind));
      context.fill();
      context.stroke();
    }
  }
}
