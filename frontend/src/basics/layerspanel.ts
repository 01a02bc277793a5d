/** The "Network as layers" panel: the Basics MLP as a layer stack, and a stack of your own to try. */
import { LayerStackBuilder } from "../shared/builder";
import { h } from "../shared/dom";
import { inspectNet, type LayerSpec, type NetSpec } from "../shared/netspec";
import type { LayerTypeSpec } from "../shared/palette";

/**
 * Writes the MLP the Basics controls describe: Linear layers of the hidden sizes, each followed by
 * the activation's layer type (none for a linear activation), then the output layer.
 */
export function mlpSpec(inputs: number, hidden: number[], activationType: string | null, outputs: number): NetSpec {
  const layers: LayerSpec[] = [];
  for (const size of hidden) {
    layers.push({ type: "Linear", out_features: size });
    if (activationType) layers.push({ type: activationType });
  }
  layers.push({ type: "Linear", out_features: outputs });
  return { version: 1, input: { shape: [inputs] }, layers };
}

/** The panel with the read-only stack of the Basics network and an editable demo stack. */
export class LayersPanel {
  /** The panel's element. */
  readonly element: HTMLDetailsElement;
  /** The stack the Basics controls describe. */
  readonly basics: LayerStackBuilder;
  /** The stack a visitor edits freely. */
  readonly demo: LayerStackBuilder;
  private mlp: NetSpec | null = null;
  private demoStarted = false;

  constructor(palette: LayerTypeSpec[]) {
    const basicsBox = h("div", { className: "builder-box" });
    const demoBox = h("div", { className: "builder-box" });
    const copy = h("button", { type: "button", className: "small" }, "Start from the Basics network");
    copy.addEventListener("click", () => this.mlp && this.demo.setNet(this.mlp));
    this.element = h(
      "details",
      { className: "layers-panel panel" },
      h("summary", {}, h("h2", {}, "Network as layers")),
      h(
        "div",
        { className: "layers-columns" },
        h(
          "section",
          { "aria-labelledby": "basics-stack-title" },
          h("h3", { id: "basics-stack-title" }, "The network above, as torch.nn layers"),
          h("p", { className: "hint" }, "It follows the controls: every shape and parameter count comes from the server's inspection of this stack."),
          basicsBox,
        ),
        h(
          "section",
          { "aria-labelledby": "demo-stack-title", className: "demo-stack" },
          h("h3", { id: "demo-stack-title" }, "Try your own stack"),
          h("p", { className: "hint" }, "Add, remove and reorder layers (drag them, or use the arrow buttons). Each change is checked, and a mistake is shown on the layer it concerns."),
          copy,
          demoBox,
        ),
      ),
    );
    this.basics = new LayerStackBuilder(basicsBox, { palette, inspect: inspectNet, label: "Basics network as layers", editable: false });
    this.demo = new LayerStackBuilder(demoBox, { palette, inspect: inspectNet, label: "Your own layer stack", editable: true });
  }

  /** Shows the MLP the controls describe; the demo starts from the first one. */
  showMlp(spec: NetSpec): void {
    if (JSON.stringify(spec) === JSON.stringify(this.mlp)) return;
    this.mlp = spec;
    this.basics.setNet(spec);
    if (!this.demoStarted) {
      this.demoStarted = true;
      this.demo.setNet(spec);
    }
  }
}
