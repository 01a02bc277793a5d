// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../src/shared/api";
import { LayerStackBuilder } from "../../src/shared/builder";
import type { InspectResult, NetSpec } from "../../src/shared/netspec";
import { parsePalette } from "../../src/shared/palette";

const palette = parsePalette([
  { type: "Linear", description: "fully connected", category: "dense", args: [{ name: "out_features", type: "int", default: null, min: 1, max: 4096, choices: null, required: true }, { name: "bias", type: "bool", default: true, min: null, max: null, choices: null, required: false }], inferred: ["in_features"] },
  { type: "Conv2d", description: "convolution", category: "conv", args: [{ name: "out_channels", type: "int", default: null, min: 1, max: 512, choices: null, required: true }, { name: "kernel_size", type: "int_or_pair", default: null, min: 1, max: 11, choices: null, required: true }, { name: "padding", type: "int_or_pair", default: 0, min: 0, max: 10, choices: ["same", "valid"], required: false }], inferred: ["in_channels"] },
  { type: "ReLU", description: "max(0, x)", category: "activation", args: [], inferred: [] },
  { type: "Residual", description: "adds its input back", category: "block", args: [{ name: "layers", type: "layers", default: null, min: null, max: null, choices: null, required: true }], inferred: [] },
]);

const net: NetSpec = { version: 1, input: { shape: [2] }, layers: [{ type: "Linear", out_features: 4 }, { type: "ReLU" }, { type: "Linear", out_features: 1 }] };

const answer: InspectResult = {
  layers: [
    { path: "0", type: "Linear", output_shape: [4], params: 12 },
    { path: "1", type: "ReLU", output_shape: [4], params: 0 },
    { path: "2", type: "Linear", output_shape: [1], params: 5 },
  ],
  input_shape: [2],
  output_shape: [1],
  total_params: 17,
};

function makeBuilder(inspect: (net: NetSpec) => Promise<InspectResult>) {
  const container = document.createElement("div");
  document.body.replaceChildren(container);
  const changes: NetSpec[] = [];
  const builder = new LayerStackBuilder(container, { palette, inspect, label: "Test stack", debounceMs: 0, onChange: (n) => changes.push(n) });
  builder.setNet(net);
  return { builder, container, changes };
}

const card = (container: HTMLElement, path: string) => container.querySelector(`[data-path="${path}"]`) as HTMLElement;

describe("palette", () => {
  it("reads the server's argument kinds", () => {
    const conv = palette.find((t) => t.type === "Conv2d")!;
    expect(conv.args.map((a) => [a.name, a.type])).toEqual([["out_channels", "int"], ["kernel_size", "ints"], ["padding", "ints"]]);
    expect(conv.args[2].choices).toEqual(["same", "valid"]);
    expect(palette.find((t) => t.type === "Linear")!.args[0]).toMatchObject({ min: 1, max: 4096, required: true });
    expect(palette.find((t) => t.type === "Residual")!.args[0].type).toBe("layers");
  });
});

describe("LayerStackBuilder", () => {
  beforeEach(() => vi.useRealTimers());

  it("shows each layer's output shape and parameter count", async () => {
    const { builder, container } = makeBuilder(async () => answer);
    await builder.inspect();
    expect(card(container, "0").textContent).toContain("→ 4");
    expect(card(container, "0").textContent).toContain("12 params");
    expect(container.querySelector(".builder-summary")!.textContent).toContain("17 parameters");
  });

  it("puts an error on the layer its path names, and the rest in the general area", async () => {
    const { builder, container } = makeBuilder(async () => {
      throw new ApiError(400, [
        { path: "2", message: "layer 3 (Linear) is wrong" },
        { path: "net.layers.0.out_features", message: "too many features" },
        { path: "", message: "the stack is too deep" },
      ]);
    });
    await builder.inspect();
    expect(card(container, "2").querySelector(".layer-error")!.textContent).toBe("layer 3 (Linear) is wrong");
    expect(card(container, "2").classList.contains("has-error")).toBe(true);
    expect(card(container, "0").querySelector(".layer-error")!.textContent).toBe("too many features");
    expect(card(container, "0").querySelector('[data-arg-path="0.out_features"]')!.getAttribute("aria-invalid")).toBe("true");
    expect(card(container, "1").querySelector(".layer-error")!.textContent).toBe("");
    expect(container.querySelector(".builder-errors")!.textContent).toBe("the stack is too deep");
  });

  it("reorders with the keyboard buttons and keeps focus on the moved layer", () => {
    const { builder, container, changes } = makeBuilder(async () => answer);
    (container.querySelector('[aria-label="Move down layer 1 (Linear)"]') as HTMLButtonElement).click();
    expect(builder.getNet().layers.map((l) => l.type)).toEqual(["ReLU", "Linear", "Linear"]);
    expect(changes).toHaveLength(1);
    expect(document.activeElement?.getAttribute("aria-label")).toBe("Move down layer 2 (Linear)");
  });

  it("adds a layer of the chosen type with its required arguments, and removes one", () => {
    const { builder, container } = makeBuilder(async () => answer);
    const select = container.querySelector(".add-row select") as HTMLSelectElement;
    select.value = "Conv2d";
    (container.querySelector(".add-row button") as HTMLButtonElement).click();
    expect(builder.getNet().layers[3]).toEqual({ type: "Conv2d", out_channels: 1, kernel_size: 1 });
    (container.querySelector('[aria-label="Remove layer 1 (Linear)"]') as HTMLButtonElement).click();
    expect(builder.getNet().layers.map((l) => l.type)).toEqual(["ReLU", "Linear", "Conv2d"]);
  });

  it("edits an argument, clamping it to its bounds, and asks for an inspection", async () => {
    const inspect = vi.fn(async () => answer);
    const { builder, container } = makeBuilder(inspect);
    const input = container.querySelector('[data-arg-path="0.out_features"]') as HTMLInputElement;
    input.value = "99999";
    input.dispatchEvent(new Event("input"));
    input.dispatchEvent(new Event("change"));
    expect(builder.getNet().layers[0].out_features).toBe(4096);
    expect(input.value).toBe("4096");
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(inspect).toHaveBeenCalled();
    expect((inspect.mock.calls.at(-1) as unknown as [NetSpec])[0].layers[0].out_features).toBe(4096);
  });

  it("accepts a word choice for an int-or-pair argument", () => {
    const { builder, container } = makeBuilder(async () => answer);
    builder.setNet({ version: 1, input: { shape: [1, 8, 8] }, layers: [{ type: "Conv2d", out_channels: 2, kernel_size: 3 }] });
    const padding = container.querySelector('[data-arg-path="0.padding"]') as HTMLInputElement;
    padding.value = "same";
    padding.dispatchEvent(new Event("input"));
    expect(builder.getNet().layers[0].padding).toBe("same");
    padding.value = "2, 1";
    padding.dispatchEvent(new Event("input"));
    expect(builder.getNet().layers[0].padding).toEqual([2, 1]);
  });

  it("nests a block's layers with their own paths", async () => {
    const { builder, container } = makeBuilder(async () => {
      throw new ApiError(400, [{ path: "0.layers.1", message: "inner problem" }]);
    });
    builder.setNet({ version: 1, input: { shape: [4] }, layers: [{ type: "Residual", layers: [{ type: "Linear", out_features: 4 }, { type: "ReLU" }] }] });
    await builder.inspect();
    expect(card(container, "0.layers.1").querySelector(".layer-error")!.textContent).toBe("inner problem");
    expect(card(container, "0").querySelector(":scope > .layer-error")!.textContent).toBe("");
  });

  it("shows a read-only stack without editing controls", () => {
    const container = document.createElement("div");
    const builder = new LayerStackBuilder(container, { palette, inspect: async () => answer, label: "Read only", editable: false });
    builder.setNet(net);
    expect(container.querySelector(".add-row")).toBeNull();
    expect(container.querySelector(".layer-actions")).toBeNull();
    expect((container.querySelector('[data-arg-path="0.out_features"]') as HTMLInputElement).disabled).toBe(true);
  });

  it("ignores an inspection answer that a newer edit has overtaken", async () => {
    let release: (value: InspectResult) => void = () => undefined;
    const slow = new Promise<InspectResult>((resolve) => (release = resolve));
    const calls: number[] = [];
    const { builder, container } = makeBuilder(async () => {
      calls.push(calls.length);
      return calls.length === 1 ? slow : { ...answer, total_params: 99 };
    });
    const first = builder.inspect();
    await builder.inspect();
    release(answer);
    await first;
    expect(container.querySelector(".builder-summary")!.textContent).toContain("99 parameters");
  });
});
