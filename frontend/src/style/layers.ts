/**
 * VGG-19 drawn as the page's layer chooser: each convolution a slab whose height is its feature
 * maps' size and whose thickness is its channel count, the pools between the blocks, and under
 * each one two toggles, "C" (a content layer) and "S" (a style layer). The chosen style layers'
 * weights are number inputs below the drawing.
 */
import { h } from "../shared/dom";

/** One of the 37 layers, as the task's catalogue lists it. */
export interface VggLayer {
  index: number;
  name: string;
  type: string;
  channels: number;
  scale: number;
}

/** What the chooser reports. */
export interface LayerChoice {
  content: string[];
  style: string[];
  weights: number[];
}

const SLAB_HEIGHT = 96; // pixels of the first block's slabs; each pool halves the maps' side

/** The layer chooser. */
export class LayerChooser {
  /** The chooser's element. */
  readonly element: HTMLElement;
  private readonly buttons = new Map<string, { content: HTMLButtonElement; style: HTMLButtonElement }>();
  private readonly weightsBox: HTMLElement;
  private readonly convs: string[];
  private choice: LayerChoice = { content: [], style: [], weights: [] };
  private readonly onChange: (choice: LayerChoice) => void;

  constructor(layers: VggLayer[], onChange: (choice: LayerChoice) => void) {
    this.onChange = onChange;
    const strip = h("div", { className: "vgg-strip", role: "group", "aria-label": "VGG-19's convolutional layers" });
    this.convs = [];
    for (const layer of layers) {
      if (layer.type === "MaxPool2d") {
        strip.append(h("div", { className: "vgg-pool", title: `${layer.name}: max pooling halves the maps' width and height` }, h("span", {}, "pool")));
        continue;
      }
      if (layer.type !== "Conv2d") continue;
      const name = layer.name;
      this.convs.push(name);
      const slab = h("div", {
        className: "vgg-slab",
        style: `height:${Math.round(SLAB_HEIGHT / Math.sqrt(layer.scale))}px;width:${Math.round(6 + 14 * Math.sqrt(layer.channels / 512))}px`,
      });
      const content = this.toggle(name, "content", "C");
      const style = this.toggle(name, "style", "S");
      this.buttons.set(name, { content, style });
      strip.append(
        h(
          "div",
          { className: "vgg-layer", "data-layer": name, title: `${name}: ${layer.channels} channels, maps 1/${layer.scale} of the picture's side (taken after its ReLU)` },
          h("div", { className: "vgg-slab-box" }, slab),
          h("span", { className: "vgg-name" }, name.replace("conv", "")),
          content,
          style,
        ),
      );
    }
    this.weightsBox = h("div", { className: "style-weights" });
    this.element = h(
      "div",
      { className: "vgg" },
      h("div", { className: "vgg-frame" }, h("div", { className: "vgg-input", "aria-hidden": "true" }, "picture"), strip),
      h("p", { className: "hint vgg-key" }, h("span", { className: "key-content" }, "C"), " content layer · ", h("span", { className: "key-style" }, "S"), " style layer · slabs get shorter as pools halve the maps, thicker as channels double"),
      this.weightsBox,
    );
  }

  private toggle(name: string, role: "content" | "style", text: string): HTMLButtonElement {
    const button = h("button", { type: "button", className: `vgg-toggle vgg-${role}`, "aria-pressed": "false", "aria-label": `${name} as a ${role} layer` }, text);
    button.addEventListener("click", () => this.flip(name, role));
    return button;
  }

  private flip(name: string, role: "content" | "style"): void {
    const { content, style, weights } = this.choice;
    if (role === "content") {
      const next = content.includes(name) ? content.filter((n) => n !== name) : this.ordered([...content, name]);
      this.choice = { content: next, style, weights };
    } else if (style.includes(name)) {
      const at = style.indexOf(name);
      this.choice = { content, style: style.filter((n) => n !== name), weights: weights.filter((_, i) => i !== at) };
    } else {
      const next = this.ordered([...style, name]);
      const old = new Map(style.map((n, i) => [n, weights[i] ?? 1]));
      this.choice = { content, style: next, weights: next.map((n) => old.get(n) ?? 1) };
    }
    this.setChoice(this.choice);
    this.onChange(this.choice);
  }

  private ordered(names: string[]): string[] {
    return this.convs.filter((n) => names.includes(n));
  }

  /** Shows a choice (from the state). */
  setChoice(choice: LayerChoice): void {
    const weights = choice.weights.length === choice.style.length ? choice.weights : choice.style.map(() => 1);
    this.choice = { content: [...choice.content], style: [...choice.style], weights: [...weights] };
    for (const [name, buttons] of this.buttons) {
      buttons.content.setAttribute("aria-pressed", String(choice.content.includes(name)));
      buttons.style.setAttribute("aria-pressed", String(choice.style.includes(name)));
    }
    this.weightsBox.replaceChildren(
      ...(this.choice.style.length ? [h("span", { className: "style-weights-title" }, "Style layer weights")] : []),
      ...this.choice.style.map((name, i) => {
        const id = `style-weight-${name}`;
        const input = h("input", { type: "number", id, min: 0, max: 100, step: "any", value: String(this.choice.weights[i]) });
        input.addEventListener("change", () => {
          const value = Math.min(100, Math.max(0, Number(input.value) || 0));
          input.value = String(value);
          this.choice.weights[i] = value;
          this.onChange({ ...this.choice, weights: [...this.choice.weights] });
        });
        return h("div", { className: "style-weight" }, h("label", { for: id }, name), input);
      }),
    );
  }
}
