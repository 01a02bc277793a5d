/**
 * What the inspection of a stack says, drawn for the CNN page: every layer's output shape with the
 * (N − F + 2P)/S + 1 arithmetic that made it, its parameters and multiply-accumulates; a picture of
 * the volumes shrinking and deepening; and an estimate of the memory a run needs. All from the
 * server's answer to `/api/nets/inspect` and the stack itself, nothing worked out twice.
 */
import { formatBytes, formatCount, h, svg } from "../shared/dom";
import { formatShape, type InspectedLayer, type InspectResult, type LayerSpec, type NetSpec } from "../shared/netspec";

const WINDOWED = new Set(["Conv2d", "MaxPool2d", "AvgPool2d"]);

function pair(value: unknown, fallback: number): [number, number] {
  if (Array.isArray(value)) return [Number(value[0] ?? fallback), Number(value[1] ?? value[0] ?? fallback)];
  if (typeof value === "number") return [value, value];
  return [fallback, fallback];
}

/** The layer a row's path names ("3", "3.layers.1", "6.branches.0.2"); null for a projection. */
export function layerAt(net: NetSpec, path: string): LayerSpec | null {
  const parts = path.split(".");
  let layer: LayerSpec | undefined = net.layers[Number(parts[0])];
  for (let i = 1; layer && i < parts.length; ) {
    if (parts[i] === "layers") [layer, i] = [layer.layers?.[Number(parts[i + 1])], i + 2];
    else if (parts[i] === "branches") [layer, i] = [layer.branches?.[Number(parts[i + 1])]?.[Number(parts[i + 2])], i + 3];
    else return null;
  }
  return layer ?? null;
}

/** The shape a row's layer receives: the previous layer's output in its list, or what its block receives. */
export function inputShapeOf(path: string, result: InspectResult, outputs: Map<string, number[]>): number[] | undefined {
  const parts = path.split(".");
  const last = Number(parts[parts.length - 1]);
  if (Number.isNaN(last)) return undefined;
  if (last > 0) return outputs.get([...parts.slice(0, -1), String(last - 1)].join("."));
  if (parts.length === 1) return result.input_shape;
  const owner = parts.slice(0, parts[parts.length - 2] === "layers" ? -2 : -3).join(".");
  return inputShapeOf(owner, result, outputs);
}

/** "(28 − 5 + 2·2)/1 + 1 = 28": how a convolution or pooling layer's height (and width, when it differs) came out. */
export function arithmetic(layer: LayerSpec, input: number[] | undefined, output: number[]): string {
  if (!WINDOWED.has(layer.type) || !input || input.length !== 3) return "";
  if (layer.padding === "same") return `padding "same" keeps ${formatShape(input.slice(1))}`;
  const kernel = pair(layer.kernel_size, 1);
  const stride = pair(layer.stride ?? (layer.type === "Conv2d" ? 1 : layer.kernel_size), 1);
  const padding = layer.padding === "valid" ? [0, 0] : pair(layer.padding, 0);
  const dilation = pair(layer.dilation, 1);
  const one = (axis: 0 | 1) => {
    const span = dilation[axis] * (kernel[axis] - 1) + 1;
    const pad = padding[axis] ? ` + 2·${padding[axis]}` : "";
    return `⌊(${input[axis + 1]} − ${span}${pad})/${stride[axis]}⌋ + 1 = ${output[axis + 1]}`;
  };
  const same = input[1] === input[2] && kernel[0] === kernel[1] && stride[0] === stride[1] && padding[0] === padding[1];
  return same ? one(0) : `${one(0)}; ${one(1)}`;
}

/** The table of every layer: output shape, arithmetic, parameters and MACs. */
export function shapesTable(net: NetSpec, result: InspectResult): HTMLElement {
  const outputs = new Map(result.layers.map((row) => [row.path, row.output_shape]));
  const rows = result.layers.map((row: InspectedLayer) => {
    const layer = layerAt(net, row.path);
    const how = layer ? arithmetic(layer, inputShapeOf(row.path, result, outputs), row.output_shape) : "";
    const depth = row.path.split(".").length > 1 ? " nested" : "";
    return h(
      "tr",
      { className: depth.trim() || null },
      h("th", { scope: "row" }, `${row.path.includes(".") ? row.path : Number(row.path) + 1} ${row.type}`),
      h("td", {}, formatShape(row.output_shape)),
      h("td", { className: "arith" }, how),
      h("td", { className: "number" }, row.params ? formatCount(row.params) : ""),
      h("td", { className: "number" }, row.macs ? formatCount(row.macs) : ""),
    );
  });
  return h(
    "table",
    { className: "data-table shapes-table" },
    h("caption", {}, "Every layer's output ", h("span", { className: "hint" }, "(output size = ⌊(N − F + 2P)/S⌋ + 1 for a window F, padding P, stride S)")),
    h("thead", {}, h("tr", {}, ["Layer", "Output", "Arithmetic", "Parameters", "MACs"].map((title) => h("th", { scope: "col" }, title)))),
    h("tbody", {}, rows),
    h("tfoot", {}, h("tr", {}, h("th", { scope: "row" }, "Total"), h("td", {}), h("td", {}), h("td", { className: "number" }, formatCount(result.total_params)), h("td", { className: "number" }, formatCount(result.total_macs ?? 0)))),
  );
}

/** The volumes a picture becomes, top-level layer by layer where the shape changes: boxes that shrink and deepen. */
export function volumesPicture(result: InspectResult): SVGSVGElement {
  const shapes: { shape: number[]; label: string }[] = [{ shape: result.input_shape, label: "input" }];
  for (const row of result.layers) {
    if (row.path.includes(".")) continue;
    const last = shapes[shapes.length - 1].shape;
    if (formatShape(last) !== formatShape(row.output_shape)) shapes.push({ shape: row.output_shape, label: row.type });
  }
  const maxSide = Math.max(...shapes.map((s) => (s.shape.length === 3 ? s.shape[1] : 1)));
  const maxDepth = Math.max(...shapes.map((s) => (s.shape.length === 3 ? s.shape[0] : 1)));
  const height = 120;
  const picture = svg("svg", { class: "volumes-svg", role: "img", height, "aria-label": `The volumes through the network: ${shapes.map((s) => formatShape(s.shape)).join(", then ")}` });
  let x = 6;
  for (const { shape, label } of shapes) {
    const g = svg("g", {});
    if (shape.length === 3) {
      const side = 12 + 56 * Math.sqrt(shape[1] / maxSide);
      const depth = 4 + 34 * (Math.log2(shape[0] + 1) / Math.log2(maxDepth + 1));
      const top = 14 + (70 - side) / 2 + depth * 0.5;
      const dx = depth * 0.8, dy = depth * 0.5;
      g.append(
        svg("polygon", { points: `${x},${top} ${x + dx},${top - dy} ${x + dx + side},${top - dy} ${x + side},${top}`, class: "volume-top" }),
        svg("polygon", { points: `${x + side},${top} ${x + side + dx},${top - dy} ${x + side + dx},${top - dy + side} ${x + side},${top + side}`, class: "volume-side" }),
        svg("rect", { x, y: top, width: side, height: side, class: "volume-front" }),
      );
      const text = svg("text", { x: x + (side + dx) / 2, y: height - 18, "text-anchor": "middle", class: "volume-label" });
      text.textContent = formatShape(shape);
      const kind = svg("text", { x: x + (side + dx) / 2, y: height - 5, "text-anchor": "middle", class: "volume-kind" });
      kind.textContent = label;
      g.append(text, kind);
      x += side + dx + 26;
    } else {
      const bar = 8 + 60 * Math.min(1, Math.log10(shape[0] + 1) / 4);
      g.append(svg("rect", { x, y: 14 + (70 - bar) / 2, width: 8, height: bar, class: "volume-front" }));
      const text = svg("text", { x: x + 4, y: height - 18, "text-anchor": "middle", class: "volume-label" });
      text.textContent = formatShape(shape);
      const kind = svg("text", { x: x + 4, y: height - 5, "text-anchor": "middle", class: "volume-kind" });
      kind.textContent = label;
      g.append(text, kind);
      x += 44;
    }
    picture.append(g);
  }
  picture.setAttribute("width", String(x));
  picture.setAttribute("viewBox", `0 0 ${x} ${height}`);
  // It shrinks to fit its panel, but not below readable labels: a deeper network scrolls sideways.
  picture.style.minWidth = `${Math.round(x * 0.7)}px`;
  return picture;
}

/** Bytes a run needs on its device, roughly: weights with their gradients and optimiser state, one batch's activations twice (forward and backward), and the pictures as uint8. */
export function memoryEstimate(result: InspectResult, batchSize: number, optimizer: string, pictures: number, pictureShape: number[]): { total: number; text: string } {
  const copies = optimizer === "sgd" ? 3 : 4; // weights, gradients, momentum (and Adam's second moment)
  const weights = (result.param_bytes ?? result.total_params * 4) * copies;
  const activations = (result.activation_bytes ?? 0) * batchSize * 2;
  const data = pictures * pictureShape.reduce((a, b) => a * b, 1);
  const total = weights + activations + data;
  return {
    total,
    text: `Estimated memory for a run: about ${formatBytes(total)} — weights, gradients and optimiser state ${formatBytes(weights)}, a batch of ${batchSize}'s activations ${formatBytes(activations)}, the pictures (kept as bytes) ${formatBytes(data)}.`,
  };
}
