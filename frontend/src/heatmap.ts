/** The decision or regression surface: a canvas heatmap with the data points drawn over it. */
import { classShade, css, CLASS_COLORS, diverging, type Rgb } from "./colors";
import type { Point } from "./events";

const DISCRETE_FACTOR = 6;

/** Decodes base64 text into bytes. */
export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Decodes C planes of W×H unsigned bytes (0 ↦ lo, 255 ↦ hi) into C arrays of values. */
export function decodePlanes(values: string, width: number, height: number, channels: number, lo: number, hi: number): Float32Array[] {
  const bytes = decodeBase64(values);
  const size = width * height;
  if (bytes.length < size * channels) throw new Error(`expected ${size * channels} bytes, got ${bytes.length}`);
  const scale = (hi - lo) / 255;
  const planes: Float32Array[] = [];
  for (let c = 0; c < channels; c++) {
    const plane = new Float32Array(size);
    for (let i = 0; i < size; i++) plane[i] = lo + bytes[c * size + i] * scale;
    planes.push(plane);
  }
  return planes;
}

/** Enlarges a W×H plane `factor` times by bilinear interpolation between cell centres. */
export function upsample(plane: Float32Array, width: number, height: number, factor: number): Float32Array {
  const outWidth = width * factor;
  const outHeight = height * factor;
  const out = new Float32Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    const sy = Math.min(height - 1, Math.max(0, (y + 0.5) / factor - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < outWidth; x++) {
      const sx = Math.min(width - 1, Math.max(0, (x + 0.5) / factor - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(width - 1, x0 + 1);
      const fx = sx - x0;
      const top = plane[y0 * width + x0] * (1 - fx) + plane[y0 * width + x1] * fx;
      const bottom = plane[y1 * width + x0] * (1 - fx) + plane[y1 * width + x1] * fx;
      out[y * outWidth + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** Colours decoded planes as RGBA pixels: diverging for one plane, class colours for several. */
export function planesToRgba(planes: Float32Array[], discretize: boolean, range = 1): Uint8ClampedArray<ArrayBuffer> {
  const size = planes[0]?.length ?? 0;
  const pixels = new Uint8ClampedArray(size * 4);
  for (let i = 0; i < size; i++) {
    let rgb: Rgb;
    if (planes.length === 1) {
      const value = planes[0][i] / range;
      rgb = diverging(discretize ? Math.sign(value) : value);
    } else {
      let best = 0;
      for (let c = 1; c < planes.length; c++) if (planes[c][i] > planes[best][i]) best = c;
      rgb = classShade(best, discretize ? 1 : Math.max(0, (planes[best][i] * planes.length - 1) / (planes.length - 1)));
    }
    pixels.set([rgb[0], rgb[1], rgb[2], 255], i * 4);
  }
  return pixels;
}

/** Colours one class's probability plane: white where unlikely, the class colour where likely. */
export function classPlaneRgba(plane: Float32Array, classIndex: number): Uint8ClampedArray<ArrayBuffer> {
  const pixels = new Uint8ClampedArray(plane.length * 4);
  for (let i = 0; i < plane.length; i++) {
    const [r, g, b] = classShade(classIndex, plane[i]);
    pixels.set([r, g, b, 255], i * 4);
  }
  return pixels;
}

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
