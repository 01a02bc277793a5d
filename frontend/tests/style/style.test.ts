// @vitest-environment jsdom
import { describe, expect, it, vi } from "vitest";

// uPlot asks for the screen's pixel ratio when it loads; jsdom has no media queries.
vi.hoisted(() => {
  window.matchMedia ??= (() => ({ matches: false, addEventListener() {}, removeEventListener() {} })) as unknown as typeof window.matchMedia;
});
import type { RunEvent } from "../../src/shared/events";
import type { LineChart } from "../../src/shared/linechart";
import { liveFields, StyleState } from "../../src/style/state";
import { statusLine, StyleRunView } from "../../src/style/runview";
import { sentence } from "../../src/style/page";
import { PicturePicker } from "../../src/style/pictures";
import { lockControls } from "../../src/shared/assignmentbar";

const SCHEMA = {
  type: "object",
  properties: {
    content: { type: "string", default: "lighthouse" },
    style_b: { anyOf: [{ type: "string" }, { type: "null" }], default: null },
    size: { type: "integer", minimum: 32, maximum: 1024, default: 192 },
    style_layers: { type: "array", items: { enum: ["conv1_1", "conv2_1", "conv3_1"], type: "string" } },
    style_layer_weights: { anyOf: [{ type: "array", items: { type: "number" } }, { type: "null" }], default: null },
  },
};
const TASK = { name: "style", title: "Style", schema: SCHEMA, default_config: { content: "lighthouse", style_b: null, size: 192, style_layers: ["conv1_1", "conv2_1"], style_layer_weights: null } };

describe("the Style page's state", () => {
  it("takes the task's live controls as the settings a run in progress follows", () => {
    const controls = { type: "object", properties: { content_weight: { anyOf: [{ type: "number" }, { type: "null" }] }, style_weight: {}, tv_weight: {} } };
    expect(liveFields({ ...TASK, controls })).toEqual(["content_weight", "style_weight", "tv_weight"]);
    expect(liveFields(TASK)).toEqual([]);
  });

  it("goes to the hash and back, an empty second style and weight list meaning none", () => {
    const state = new StyleState(TASK);
    state.values.size = 64;
    state.values.style_layer_weights = [2, 0.5];
    const again = new StyleState(TASK);
    again.readHash(`#${state.hash()}`);
    expect(again.config()).toEqual({ content: "lighthouse", style_b: null, size: 64, style_layers: ["conv1_1", "conv2_1"], style_layer_weights: [2, 0.5] });
    expect([...again.styleWeights()]).toEqual([["conv1_1", 2], ["conv2_1", 0.5]]);
    again.values.style_layers = ["conv1_1"];  // the weights no longer fit: none are sent
    expect(again.config().style_layer_weights).toBeNull();
  });
});

function fakeChart(): LineChart & { points: [number, number, number | null][] } {
  const points: [number, number, number | null][] = [];
  return { points, put: (x: number, i: number, v: number | null) => void points.push([x, i, v]), clear: () => void (points.length = 0) } as never;
}

describe("a Style run's view", () => {
  it("draws the losses, the frames and the download, and says how far the loss fell", () => {
    const chart = fakeChart();
    const parts = { status: document.createElement("p"), chart, result: document.createElement("img"), caption: document.createElement("p"), download: document.createElement("a") };
    const view = new StyleRunView(parts);
    view.reset(20);
    const metric = (step: number, total: number): RunEvent => ({ seq: step, type: "metric", step, data: { split: "loss", content: 0.5, style: 0.01, tv: 0.02, total } });
    view.handle([
      { seq: 1, type: "status", step: null, data: { status: "running" } },
      metric(1, 800),
      metric(2, 8),
      { seq: 3, type: "image", step: 2, data: { name: "result", url: "/api/runs/1/pictures/000001-result.webp", caption: "The picture after 2 iterations" } },
    ]);
    expect(parts.status.textContent).toBe("Iteration 2 of 20 · total loss 8.000 (100× lower than at the start) · content 0.500 · style 0.010 · smoothness 0.020");
    expect(chart.points.filter(([x]) => x === 2)).toHaveLength(4);
    expect(parts.result.getAttribute("src")).toContain("000001-result.webp");
    expect(parts.download.hidden).toBe(true);
    view.handle([
      { seq: 4, type: "image", step: null, data: { name: "final", url: "/api/runs/1/pictures/000002-final.png", download: "style-64x64.png", state: "finished" } },
      { seq: 5, type: "status", step: null, data: { status: "succeeded" } },
    ]);
    expect(parts.download.hidden).toBe(false);
    expect(parts.download.download).toBe("style-64x64.png");
    expect(parts.status.textContent).toMatch(/^Finished · Iteration 2 of 20/);
  });

  it("says what it waits for before the first loss", () => {
    const progress = { iteration: null, iterations: 10, losses: {}, firstTotal: null, status: "running", error: "", position: null, message: "" };
    expect(statusLine(progress)).toMatch(/^Starting/);
    expect(statusLine({ ...progress, status: "" })).toBe("Ready to paint.");
  });

  it("writes the server's refusals as sentences", () => {
    expect(sentence("at 1024 px this run needs about 5.9 GB")).toBe("At 1024 px this run needs about 5.9 GB.");
  });
});

describe("a picture picker under an assignment", () => {
  it("is marked with its field, so a lock disables its choices and its upload", () => {
    vi.stubGlobal("CSS", { escape: (text: string) => text }); // jsdom has no CSS.escape
    const picked: string[] = [];
    const picker = new PicturePicker({ field: "style", legend: "Style", builtins: { swirls: { title: "Swirls", description: "" } }, thumbnails: {}, onPick: (v) => picked.push(v), onUploaded: () => undefined });
    const root = document.createElement("div");
    root.append(picker.element);
    lockControls(root, ["style"]);
    expect(picker.element.dataset.field).toBe("style");
    expect([...picker.element.querySelectorAll("input")].map((input) => input.disabled)).toEqual([true, true]);
    expect(picker.element.classList.contains("locked")).toBe(true);
    vi.unstubAllGlobals();
  });
});
