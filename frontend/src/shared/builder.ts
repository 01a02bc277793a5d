/**
 * The layer-stack builder: add, remove, reorder (drag and drop, or buttons) and edit layers;
 * after each edit it asks the server to inspect the stack and shows every layer's output shape,
 * parameter count and errors on the layer they concern. Pages pass their own palette.
 */
import { ApiError, type ApiProblem } from "./api";
import { debounce, formatBytes, formatCount, h } from "./dom";
import { argumentEditor, parseInts } from "./layerargs";
import { formatShape, ownerPath, type InspectResult, type LayerSpec, type NetSpec } from "./netspec";
import { findType, newLayer, type LayerTypeSpec } from "./palette";

/** Options of a LayerStackBuilder. */
export interface BuilderOptions {
  palette: LayerTypeSpec[];
  /** Asks the server to inspect a stack; throws an ApiError with paths when it is wrong. */
  inspect: (net: NetSpec) => Promise<InspectResult>;
  /** The accessible name of the builder. */
  label: string;
  editable?: boolean;
  debounceMs?: number;
  onChange?: (net: NetSpec) => void;
  onInspected?: (result: InspectResult | null, errors: ApiProblem[]) => void;
}

interface Slot {
  card: HTMLElement;
  shape: HTMLElement;
  params: HTMLElement;
  error: HTMLElement;
}

function layerLabel(path: string, type: string): string {
  const parts = path.split(".");
  const name = parts.length === 1 ? String(Number(parts[0]) + 1) : path;
  return `layer ${name} (${type})`;
}

function withData(root: HTMLElement, key: string, value: string): HTMLElement | undefined {
  const attribute = `data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return [...root.querySelectorAll<HTMLElement>(`[${attribute}]`)].find((element) => element.dataset[key] === value);
}

/** A reusable layer-stack editor bound to a container element. */
export class LayerStackBuilder {
  /** The builder's root element. */
  readonly element: HTMLElement;
  /** The last inspection answer, or null when the stack has errors. */
  result: InspectResult | null = null;
  /** The problems of the last inspection. */
  errors: ApiProblem[] = [];
  private net: NetSpec = { version: 1, input: { shape: [2] }, layers: [] };
  private editable: boolean;
  private readonly options: BuilderOptions;
  private readonly list: HTMLElement;
  private readonly inputRow: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly general: HTMLElement;
  private slots = new Map<string, Slot>();
  private inspectCount = 0;
  private dragging: { list: LayerSpec[]; index: number } | null = null;
  private focusKey = "";
  private readonly inspectSoon: () => void;

  constructor(container: HTMLElement, options: BuilderOptions) {
    this.options = options;
    this.editable = options.editable ?? true;
    this.inspectSoon = debounce(() => void this.inspect(), options.debounceMs ?? 300);
    this.inputRow = h("div", { className: "builder-input" });
    this.list = h("div", { className: "builder-stack" });
    this.summary = h("p", { className: "builder-summary", role: "status" });
    this.general = h("div", { className: "builder-errors", role: "alert" });
    this.element = h("div", { className: `builder${this.editable ? "" : " readonly"}`, role: "group", "aria-label": options.label }, this.inputRow, this.list, this.summary, this.general);
    container.append(this.element);
    this.render();
  }

  /** Replaces the stack and inspects it. */
  setNet(net: NetSpec): void {
    this.net = structuredClone(net);
    this.render();
    this.inspectSoon();
  }

  /** A copy of the stack as it stands. */
  getNet(): NetSpec {
    return structuredClone(this.net);
  }

  /** Turns editing on or off. */
  setEditable(editable: boolean): void {
    this.editable = editable;
    this.element.classList.toggle("readonly", !editable);
    this.render();
  }

  private changed(structural: boolean): void {
    if (structural) this.render();
    this.options.onChange?.(this.getNet());
    this.inspectSoon();
  }

  /** Inspects the stack now and shows the answer. */
  async inspect(): Promise<void> {
    const ticket = ++this.inspectCount;
    this.element.setAttribute("aria-busy", "true");
    let result: InspectResult | null = null;
    let errors: ApiProblem[] = [];
    try {
      result = await this.options.inspect(this.getNet());
    } catch (error) {
      errors = error instanceof ApiError ? error.errors : [{ path: "", message: String(error) }];
    }
    if (ticket !== this.inspectCount) return;
    this.element.removeAttribute("aria-busy");
    this.result = result;
    this.errors = errors;
    this.annotate();
    this.options.onInspected?.(result, errors);
  }

  private annotate(): void {
    const byPath = new Map((this.result?.layers ?? []).map((layer) => [layer.path, layer]));
    for (const [path, slot] of this.slots) {
      const layer = byPath.get(path);
      slot.shape.textContent = layer ? `→ ${formatShape(layer.output_shape)}` : "";
      slot.params.textContent = layer ? `${formatCount(layer.params)} params` : "";
      slot.error.replaceChildren();
      slot.card.classList.remove("has-error");
    }
    for (const input of this.element.querySelectorAll("[data-arg-path]")) input.removeAttribute("aria-invalid");
    const general: string[] = [];
    const paths = new Set(this.slots.keys());
    for (const problem of this.errors) {
      const owner = ownerPath(problem.path, paths);
      const slot = owner === null ? undefined : this.slots.get(owner);
      if (!slot) {
        general.push(problem.path ? `${problem.path}: ${problem.message}` : problem.message);
        continue;
      }
      slot.card.classList.add("has-error");
      slot.error.append(h("span", {}, problem.message));
      const argPath = problem.path.replace(/^(config\.)?(net\.)?(layers\.)?/, "");
      withData(this.element, "argPath", argPath)?.setAttribute("aria-invalid", "true");
    }
    this.general.replaceChildren(...general.map((message) => h("p", {}, message)));
    const result = this.result;
    this.summary.textContent = result
      ? `Output ${formatShape(result.output_shape)} · ${formatCount(result.total_params)} parameters` +
        (result.param_bytes !== undefined ? ` · ${formatBytes(result.param_bytes)} of weights` : "")
      : this.errors.length
        ? `${this.errors.length} problem${this.errors.length > 1 ? "s" : ""} to fix`
        : "";
  }

  private render(): void {
    this.slots = new Map();
    this.renderInput();
    this.list.replaceChildren(this.renderList(this.net.layers, ""));
    this.annotate();
    if (this.focusKey) {
      withData(this.element, "focusKey", this.focusKey)?.focus();
      this.focusKey = "";
    }
  }

  private renderInput(): void {
    const input = h("input", { id: `${this.options.label.replace(/\W+/g, "-")}-input`, type: "text", value: this.net.input.shape.join(", "), disabled: !this.editable, size: 10 });
    input.addEventListener("input", () => {
      const parsed = parseInts(input.value);
      input.setAttribute("aria-invalid", parsed === undefined ? "true" : "false");
      if (parsed === undefined) return;
      this.net.input.shape = Array.isArray(parsed) ? parsed : [parsed];
      this.changed(false);
    });
    const error = h("p", { className: "layer-error" });
    const card = h("div", { className: "builder-input-card" }, h("label", { for: input.id }, "Input shape"), input, error);
    this.slots.set("input", { card, shape: h("span"), params: h("span"), error });
    this.inputRow.replaceChildren(card);
  }

  private renderList(layers: LayerSpec[], listPath: string): HTMLElement {
    const list = h("ol", { className: "layer-list", "aria-label": listPath ? `Layers of ${listPath}` : "Layers" });
    layers.forEach((_layer, index) => list.append(this.renderCard(layers, index, listPath ? `${listPath}.${index}` : String(index))));
    if (this.editable) list.append(h("li", { className: "layer-add" }, this.renderAdd(layers, listPath)));
    return list;
  }

  private renderAdd(layers: LayerSpec[], listPath: string): HTMLElement {
    const id = `add-${listPath.replace(/\W+/g, "-") || "top"}-${this.options.label.replace(/\W+/g, "-")}`;
    const categories = new Map<string, LayerTypeSpec[]>();
    for (const spec of this.options.palette) categories.set(spec.category, [...(categories.get(spec.category) ?? []), spec]);
    const select = h(
      "select",
      { id },
      [...categories].map(([category, specs]) => {
        const options = specs.map((spec) => h("option", { value: spec.type, title: spec.description }, spec.type));
        return category ? h("optgroup", { label: category }, options) : options;
      }),
    );
    const add = h("button", { type: "button", className: "small" }, "Add layer");
    add.addEventListener("click", () => {
      const spec = findType(this.options.palette, select.value);
      if (!spec) return;
      layers.push(newLayer(spec) as LayerSpec);
      this.focusKey = `add:${listPath}`;
      this.changed(true);
    });
    add.dataset.focusKey = `add:${listPath}`;
    return h("div", { className: "add-row" }, h("label", { for: id }, "New layer"), select, add);
  }

  private renderCard(layers: LayerSpec[], index: number, path: string): HTMLElement {
    const layer = layers[index];
    const spec = findType(this.options.palette, layer.type);
    const label = layerLabel(path, layer.type);
    const shape = h("span", { className: "layer-shape" });
    const params = h("span", { className: "layer-params" });
    const error = h("p", { className: "layer-error", role: "alert" });
    const head = h(
      "div",
      { className: "layer-head" },
      this.editable ? h("span", { className: "drag-handle", "aria-hidden": "true", title: "Drag to reorder" }, "⋮⋮") : null,
      h("span", { className: "layer-index" }, path.includes(".") ? path : String(index + 1)),
      h("strong", { className: "layer-type", title: spec?.description ?? "" }, layer.type),
      shape,
      params,
      this.editable ? this.renderMoves(layers, index, path, label) : null,
    );
    const args = h("div", { className: "layer-args" });
    const card = h("li", { className: "layer-card", "data-path": path, "aria-label": label }, head, args, error);
    for (const arg of spec?.args ?? []) {
      if (arg.type === "layers") card.append(this.renderList((layer.layers ??= []), `${path}.layers`));
      else if (arg.type === "branches") card.append(this.renderBranches(layer, path));
      else args.append(argumentEditor(layer, arg, `${path}.${arg.name}`, !this.editable, () => this.changed(false)));
    }
    if (!args.childElementCount) args.remove();
    if (this.editable) this.makeDraggable(card, layers, index);
    this.slots.set(path, { card, shape, params, error });
    return card;
  }

  private renderMoves(layers: LayerSpec[], index: number, path: string, label: string): HTMLElement {
    const button = (text: string, action: string, title: string, disabled: boolean, run: () => void) => {
      const element = h("button", { type: "button", className: "icon", "aria-label": `${title} ${label}`, title, disabled }, text);
      element.dataset.focusKey = `${action}:${path}`;
      element.addEventListener("click", run);
      return element;
    };
    const prefix = path.slice(0, path.lastIndexOf(".") + 1);
    const move = (to: number, action: string) => () => {
      layers.splice(to, 0, ...layers.splice(index, 1));
      this.focusKey = `${action}:${prefix}${to}`;
      this.changed(true);
    };
    return h(
      "span",
      { className: "layer-actions" },
      button("↑", "up", "Move up", index === 0, move(index - 1, "up")),
      button("↓", "down", "Move down", index === layers.length - 1, move(index + 1, "down")),
      button("✕", "remove", "Remove", false, () => {
        layers.splice(index, 1);
        this.focusKey = `add:${prefix.replace(/\.$/, "")}`;
        this.changed(true);
      }),
    );
  }

  private renderBranches(layer: LayerSpec, path: string): HTMLElement {
    const branches = (layer.branches ??= [[]]);
    const box = h("div", { className: "branches" });
    branches.forEach((branch, b) => {
      const remove = this.editable && branches.length > 1
        ? h("button", { type: "button", className: "small", "aria-label": `Remove branch ${b + 1} of ${layerLabel(path, layer.type)}` }, "Remove branch")
        : null;
      remove?.addEventListener("click", () => {
        branches.splice(b, 1);
        this.changed(true);
      });
      box.append(h("div", { className: "branch" }, h("p", { className: "branch-title" }, `Branch ${b + 1}`, remove), this.renderList(branch, `${path}.branches.${b}`)));
    });
    if (this.editable) {
      const add = h("button", { type: "button", className: "small" }, "Add branch");
      add.addEventListener("click", () => {
        branches.push([]);
        this.changed(true);
      });
      box.append(add);
    }
    return box;
  }

  private makeDraggable(card: HTMLElement, layers: LayerSpec[], index: number): void {
    card.draggable = true;
    card.addEventListener("dragstart", (event) => {
      event.stopPropagation();
      this.dragging = { list: layers, index };
      event.dataTransfer?.setData("text/plain", card.dataset.path ?? "");
      card.classList.add("dragging");
    });
    card.addEventListener("dragend", () => card.classList.remove("dragging"));
    card.addEventListener("dragover", (event) => {
      if (this.dragging?.list !== layers) return;
      event.preventDefault();
      event.stopPropagation();
      card.classList.add("drop-target");
    });
    card.addEventListener("dragleave", () => card.classList.remove("drop-target"));
    card.addEventListener("drop", (event) => {
      const from = this.dragging;
      this.dragging = null;
      if (from?.list !== layers) return;
      event.preventDefault();
      event.stopPropagation();
      layers.splice(index, 0, ...layers.splice(from.index, 1));
      this.changed(true);
    });
  }
}
