/**
 * The network drawing: input features, hidden units and outputs as nodes, each with a small picture
 * of its output over the input plane, and weights as edges whose colour is the sign and width the size.
 */
import { css, diverging, NEGATIVE, POSITIVE } from "../shared/colors";
import { h, svg } from "../shared/dom";
import type { UnitsData } from "../shared/events";
import { classPlaneRgba, decodePlanes, planesToRgba } from "../shared/planes";

/** One input feature node. */
export interface InputNode {
  key: string;
  label: string;
  active: boolean;
}

/** What the drawing shows: features, hidden layer sizes and the number of outputs. */
export interface DiagramShape {
  inputs: InputNode[];
  hidden: number[];
  outputs: number;
}

/** What the drawing's own controls ask of the page. */
export interface DiagramHandlers {
  onToggleInput?: (key: string) => void;
  onNeurons?: (layer: number, delta: 1 | -1) => void;
  onLayers?: (delta: 1 | -1) => void;
}

/** Bounds of the network the controls may draw. */
export interface DiagramLimits {
  maxLayers: number;
  minNeurons: number;
  maxNeurons: number;
}

const NODE = 34;
const GAP = 10;
/** Room left of the input nodes for their labels ("sin(x₁)"). */
const LEFT = 56;
const RIGHT = 8;
/** The least distance between columns: a column's "8 neurons" label and +/− buttons fit in it with room to spare. */
export const MIN_STEP = 68;
/** Heights of the rows above the nodes: the layer count, each column's buttons, each column's label. */
const ROWS = { layers: 0, buttons: 32, label: 60, editable: 86, readOnly: 28 };

/** Where each column's nodes start (x), for a drawing `width` wide; columns never come closer than MIN_STEP. */
export function columnXs(width: number, columns: number): number[] {
  const step = columns > 1 ? Math.max(MIN_STEP, (width - LEFT - RIGHT - NODE) / (columns - 1)) : 0;
  return Array.from({ length: columns }, (_, c) => LEFT + c * step);
}

/** The narrowest drawing that keeps its columns MIN_STEP apart; a narrower screen scrolls it sideways. */
export function minimumWidth(columns: number): number {
  return LEFT + NODE + RIGHT + Math.max(0, columns - 1) * MIN_STEP;
}

/** The width (px) and opacity of an edge for a weight. */
export function edgeStyle(weight: number): { width: number; opacity: number; color: string } {
  const size = Math.abs(weight);
  return { width: Math.min(6, 0.5 + 1.6 * size), opacity: Math.min(0.95, 0.25 + 0.6 * size), color: css(weight < 0 ? NEGATIVE : POSITIVE) };
}

function drawPicture(canvas: HTMLCanvasElement, values: string, width: number, height: number, lo: number, hi: number): void {
  canvas.width = width;
  canvas.height = height;
  const planes = decodePlanes(values, width, height, 1, lo, hi);
  const range = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  canvas.getContext("2d")?.putImageData(new ImageData(planesToRgba(planes, false, range), width, height), 0, 0);
}

/** An SVG-and-canvas drawing of a small fully connected network. */
export class NetDiagram {
  private readonly frame: HTMLElement;
  private readonly scrollHint: HTMLElement;
  private readonly element: HTMLElement;
  private readonly edges: SVGSVGElement;
  private readonly nodes: HTMLElement;
  private readonly handlers: DiagramHandlers;
  private limits: DiagramLimits;
  private shape: DiagramShape = { inputs: [], hidden: [], outputs: 1 };
  private columns: HTMLCanvasElement[][] = [];
  private paths: SVGPathElement[][][] = [];
  private editable = true;
  private width = 0;
  private lastWeights: number[][][] | null = null;
  private lastUnits: UnitsData | null = null;
  private lastOutputs: [Float32Array[], number, number] | null = null;

  constructor(container: HTMLElement, handlers: DiagramHandlers, limits: DiagramLimits) {
    this.handlers = handlers;
    this.limits = limits;
    this.edges = svg("svg", { class: "net-edges", "aria-hidden": "true" });
    this.nodes = h("div", { className: "net-nodes" });
    this.element = h("div", { className: "net-diagram" }, this.edges, this.nodes);
    this.frame = h("div", { className: "net-frame" }, this.element);
    this.scrollHint = h("p", { className: "hint net-scroll-hint", hidden: true }, "Scroll sideways to see the whole network.");
    container.append(this.frame, this.scrollHint);
    new ResizeObserver(() => {
      if (Math.abs(this.frame.clientWidth - this.width) > 2) this.layout();
    }).observe(this.frame);
  }

  /** Redraws for a new network shape. */
  setShape(shape: DiagramShape, limits?: DiagramLimits): void {
    if (JSON.stringify(shape) === JSON.stringify(this.shape) && !limits) return;
    this.shape = structuredClone(shape);
    if (limits) this.limits = limits;
    this.lastWeights = null;
    this.lastUnits = null;
    this.lastOutputs = null;
    this.layout();
  }

  /** Turns the drawing's own controls on or off (off while training). */
  setEditable(editable: boolean): void {
    this.editable = editable;
    for (const button of this.element.querySelectorAll<HTMLButtonElement>("button")) button.disabled = !editable || button.dataset.limit === "1";
  }

  /** Sets each edge's width and colour from the weight matrices (out × in), first layer first. */
  setWeights(weights: number[][][] | null): void {
    this.lastWeights = weights;
    this.paths.forEach((layer, l) =>
      layer.forEach((row, j) =>
        row.forEach((path, i) => {
          const weight = weights?.[l]?.[j]?.[i];
          if (weight === undefined || weight === null) {
            path.setAttribute("stroke", "#c9ced4");
            path.setAttribute("stroke-width", "0.8");
            path.setAttribute("stroke-opacity", "0.7");
            return;
          }
          const style = edgeStyle(weight);
          path.setAttribute("stroke", style.color);
          path.setAttribute("stroke-width", style.width.toFixed(2));
          path.setAttribute("stroke-opacity", style.opacity.toFixed(2));
        }),
      ),
    );
  }

  /** Draws each input and hidden node's picture from a `units` image event. */
  setUnits(data: UnitsData): void {
    this.lastUnits = data;
    for (const unit of data.units) {
      const canvas = this.columns[unit.layer]?.[unit.unit];
      if (canvas) drawPicture(canvas, unit.values, data.width, data.height, unit.min, unit.max);
    }
  }

  /** Draws the output nodes' pictures from the surface planes. */
  setOutputs(planes: Float32Array[], width: number, height: number): void {
    this.lastOutputs = [planes, width, height];
    const column = this.columns[this.columns.length - 1] ?? [];
    column.forEach((canvas, index) => {
      const plane = planes.length === 1 ? planes[0] : planes[index];
      if (!plane) return;
      canvas.width = width;
      canvas.height = height;
      const pixels = planes.length === 1 ? planesToRgba([plane], false) : classPlaneRgba(plane, index);
      canvas.getContext("2d")?.putImageData(new ImageData(pixels, width, height), 0, 0);
    });
  }

  /** Clears every picture (new weights or new data). */
  clearPictures(): void {
    for (const column of this.columns) for (const canvas of column) canvas.getContext("2d")?.clearRect(0, 0, canvas.width, canvas.height);
    this.lastUnits = null;
    this.lastOutputs = null;
    this.setWeights(null);
  }

  private layout(): void {
    const { inputs, hidden, outputs } = this.shape;
    const active = inputs.filter((input) => input.active);
    const counts = [inputs.length, ...hidden, outputs];
    const tallest = Math.max(...counts, 1);
    const editableShape = Boolean(this.handlers.onLayers || this.handlers.onNeurons);
    const header = editableShape ? ROWS.editable : ROWS.readOnly;
    const height = header + tallest * (NODE + GAP) + GAP;
    this.width = this.frame.clientWidth;
    const width = Math.max(minimumWidth(counts.length), this.width || 480);
    this.element.style.width = `${width}px`;
    this.scrollHint.hidden = !this.width || width <= this.width;
    this.element.dataset.laidOutFor = String(this.width);
    this.element.style.height = `${height}px`;
    this.edges.setAttribute("viewBox", `0 0 ${width} ${height}`);
    this.edges.setAttribute("width", String(width));
    this.edges.setAttribute("height", String(height));
    const xs = columnXs(width, counts.length);
    const top = (count: number, k: number) => header + ((tallest - count) * (NODE + GAP)) / 2 + k * (NODE + GAP);

    this.nodes.replaceChildren(this.layerControls(xs, editableShape));
    this.columns = [];
    const inputCanvases: HTMLCanvasElement[] = [];
    inputs.forEach((input, k) => {
      const canvas = h("canvas", { width: 1, height: 1 });
      if (input.active) inputCanvases.push(canvas);
      const button = h(
        "button",
        { type: "button", className: `node input${input.active ? "" : " off"}`, "aria-pressed": String(input.active), title: `Use ${input.label} as an input`, style: `left:${xs[0]}px;top:${top(inputs.length, k)}px` },
        canvas,
        h("span", { className: "node-label" }, input.label),
      );
      button.addEventListener("click", () => this.handlers.onToggleInput?.(input.key));
      this.nodes.append(button);
    });
    this.columns.push(inputCanvases);
    [...hidden, outputs].forEach((count, l) => {
      const column: HTMLCanvasElement[] = [];
      for (let k = 0; k < count; k++) {
        const canvas = h("canvas", { width: 1, height: 1 });
        const kind = l === hidden.length ? "output" : "hidden";
        this.nodes.append(h("div", { className: `node ${kind}`, style: `left:${xs[l + 1]}px;top:${top(count, k)}px`, title: kind === "output" ? `output ${k + 1}` : `layer ${l + 1}, unit ${k + 1}` }, canvas));
        column.push(canvas);
      }
      this.columns.push(column);
    });

    this.edges.replaceChildren();
    this.paths = [];
    const activeRows = inputs.map((input, k) => (input.active ? k : -1)).filter((k) => k >= 0);
    const sizes = [active.length, ...hidden, outputs];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const layer: SVGPathElement[][] = [];
      for (let j = 0; j < sizes[l + 1]; j++) {
        const row: SVGPathElement[] = [];
        for (let i = 0; i < sizes[l]; i++) {
          const y1 = top(l === 0 ? inputs.length : sizes[l], l === 0 ? activeRows[i] : i) + NODE / 2;
          const y2 = top(sizes[l + 1], j) + NODE / 2;
          const x1 = xs[l] + NODE;
          const x2 = xs[l + 1];
          const mid = (x1 + x2) / 2;
          const path = svg("path", { d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`, fill: "none" });
          this.edges.append(path);
          row.push(path);
        }
        layer.push(row);
      }
      this.paths.push(layer);
    }
    this.setWeights(this.lastWeights);
    if (this.lastUnits) this.setUnits(this.lastUnits);
    if (this.lastOutputs) this.setOutputs(...this.lastOutputs);
    this.setEditable(this.editable);
  }

  private layerControls(xs: number[], editable: boolean): HTMLElement {
    const { hidden } = this.shape;
    const { maxLayers, minNeurons, maxNeurons } = this.limits;
    const box = h("div", { className: "net-controls" });
    const button = (text: string, label: string, atLimit: boolean, run: () => void) => {
      const element = h("button", { type: "button", className: "icon", "aria-label": label, title: label }, text);
      element.dataset.limit = atLimit ? "1" : "0";
      element.addEventListener("click", run);
      return element;
    };
    const centre = (l: number) => `left:${xs[l + 1] + NODE / 2}px`;
    if (editable) {
      box.append(
        h(
          "div",
          { className: "layer-count", style: `left:0;top:${ROWS.layers}px` },
          button("+", "Add a hidden layer", hidden.length >= maxLayers, () => this.handlers.onLayers?.(1)),
          button("−", "Remove a hidden layer", hidden.length === 0, () => this.handlers.onLayers?.(-1)),
          h("span", {}, `${hidden.length} hidden layer${hidden.length === 1 ? "" : "s"}`),
        ),
      );
    }
    hidden.forEach((count, l) => {
      if (editable) {
        box.append(
          h(
            "div",
            { className: "neuron-buttons", style: `${centre(l)};top:${ROWS.buttons}px` },
            button("+", `Add a neuron to hidden layer ${l + 1}`, count >= maxNeurons, () => this.handlers.onNeurons?.(l, 1)),
            button("−", `Remove a neuron from hidden layer ${l + 1}`, count <= minNeurons, () => this.handlers.onNeurons?.(l, -1)),
          ),
        );
      }
      box.append(h("span", { className: "neuron-count", style: `${centre(l)};top:${editable ? ROWS.label : 0}px` }, `${count} neuron${count === 1 ? "" : "s"}`));
    });
    return box;
  }
}

/** The colour legend's end colours, for the page's key. */
export const LEGEND = { negative: css(diverging(-1)), positive: css(diverging(1)) };
