/** The embedding map: each character at its embedding's place on the two directions of largest variance. */
import { CLASS_COLORS, css } from "../shared/colors";
import { h } from "../shared/dom";
import { charGlyph, charName } from "./chars";

/** One character and its 2-D place. */
export type EmbeddingRow = [string, number, number];

const KINDS: [string, RegExp][] = [
  ["vowels", /^[aeiouyAEIOUY]$/],
  ["consonants", /^\p{L}$/u],
  ["digits", /^\p{N}$/u],
  ["spaces and line breaks", /^\s$/u],
  ["punctuation and symbols", /./u],
];

function kindOf(char: string): number {
  return KINDS.findIndex(([, pattern]) => pattern.test(char));
}

/** The map: a canvas with the characters drawn at their places, coloured by kind, and a key. */
export class EmbeddingMap {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly note: HTMLElement;
  private rows: EmbeddingRow[] = [];

  constructor() {
    this.canvas = h("canvas", { width: 480, height: 360, className: "embedding-canvas", role: "img", "aria-label": "Character embeddings: appear when training ends" });
    this.note = h("p", { className: "hint" }, "When training ends, each character's learned vector is projected to 2-D (PCA): characters the network treats alike sit together.");
    this.canvas.hidden = true;
    const key = h("ul", { className: "embedding-key" }, KINDS.map(([name], k) => h("li", {}, h("span", { className: "swatch", style: `background:${css(CLASS_COLORS[k])}` }), name)));
    this.element = h("div", { className: "embedding-box" }, this.canvas, key, this.note);
  }

  /** Draws the characters at their places. */
  show(rows: EmbeddingRow[]): void {
    this.rows = rows;
    this.canvas.hidden = rows.length === 0;
    const context = this.canvas.getContext("2d");
    this.canvas.dataset.points = String(rows.length);
    this.canvas.setAttribute("aria-label", rows.length
      ? `Character embeddings of ${rows.length} characters in 2-D; for example ${rows.slice(0, 12).map(([c]) => charName(c)).join(", ")}`
      : "Character embeddings: appear when training ends");
    if (!context) return;
    const { width, height } = this.canvas;
    context.clearRect(0, 0, width, height);
    if (!rows.length) return;
    const xs = rows.map((r) => r[1]);
    const ys = rows.map((r) => r[2]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const pad = 24;
    const sx = (x: number) => pad + ((x - x0) / (x1 - x0 || 1)) * (width - 2 * pad);
    const sy = (y: number) => height - pad - ((y - y0) / (y1 - y0 || 1)) * (height - 2 * pad);
    context.font = "600 22px ui-monospace, Menlo, Consolas, monospace";
    context.textAlign = "center";
    context.textBaseline = "middle";
    for (const [char, x, y] of rows) {
      context.fillStyle = css(CLASS_COLORS[kindOf(char)]);
      context.fillText(charGlyph(char), sx(x), sy(y));
    }
  }

  /** Forgets the map. */
  clear(): void {
    this.show([]);
  }

  /** How many characters the map shows. */
  get size(): number {
    return this.rows.length;
  }
}
