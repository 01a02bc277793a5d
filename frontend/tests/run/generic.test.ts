// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from "vitest";
import { genericStatusLine, mountGenericRun } from "../../src/run/generic";
import type { ChartFactory } from "../../src/run/metrics";

// uPlot asks for the screen's pixel ratio when it loads; jsdom has no media queries.
vi.hoisted(() => {
  window.matchMedia ??= (() => ({ matches: false, addEventListener() {}, removeEventListener() {} })) as unknown as typeof window.matchMedia;
});
import { type Run, type RunEvent } from "../../src/shared/events";
import { LOSS_AXIS, PERCENT_AXIS, RATE_AXIS, type LineChartOptions } from "../../src/shared/linechart";

/** A chart that remembers how it was made and every point it was given. */
interface FakeChart {
  options: LineChartOptions;
  points: [number, number, number | null][];
  destroyed: boolean;
}

function fakeCharts(): { factory: ChartFactory; made: FakeChart[] } {
  const made: FakeChart[] = [];
  const factory: ChartFactory = (_container, options) => {
    const chart: FakeChart = { options, points: [], destroyed: false };
    made.push(chart);
    return {
      put: (x: number, index: number, value: number | null) => void chart.points.push([x, index, value]),
      clear: () => void (chart.points.length = 0),
      destroy: () => void (chart.destroyed = true),
    };
  };
  return { factory, made };
}

/** The charts on the page now (a chart redrawn whole is replaced by a new one). */
const live = (made: FakeChart[]) => made.filter((chart) => !chart.destroyed);
const chartTitled = (made: FakeChart[], title: RegExp) => live(made).find((chart) => title.test(chart.options.title))!;

function run(overrides: Partial<Run> = {}): Run {
  return { id: 7, task: "probe", status: "queued", config: { steps: 30 }, created: "", started: null, finished: null, error: "", queue_position: 1, device: "", parent: null, last_seq: 0, ...overrides };
}

let seq = 0;
const event = (type: RunEvent["type"], data: Record<string, unknown>, step: number | null = null): RunEvent => ({ seq: ++seq, type, step, data });
const metric = (step: number, data: Record<string, unknown>) => event("metric", data, step);

/** A 2×1 picture of one plane: -1 on the left, +1 on the right. */
const PLANE = btoa(String.fromCharCode(0, 255));

function mount(token = "") {
  document.body.replaceChildren();
  const root = document.createElement("div");
  const texts: string[] = [];
  const status = {
    get textContent() {
      return texts.at(-1) ?? "";
    },
    set textContent(text: string) {
      if (text !== texts.at(-1)) texts.push(text);
    },
  } as unknown as HTMLElement;
  const settings = document.createElement("section");
  settings.id = "settings";
  document.body.append(root);
  const { factory, made } = fakeCharts();
  const view = mountGenericRun({ root, run: run(), status, note: document.createElement("p"), settings, palette: [], token }, factory);
  return { root, status, view, made, texts };
}

const panel = (root: HTMLElement, title: string) => root.querySelector<HTMLElement>(`section[aria-labelledby="run-${title}-title"]`)!;

describe("the generic run view", () => {
  let page: ReturnType<typeof mount>;
  const drawn: { data: number[] }[] = [];

  beforeEach(() => {
    drawn.length = 0;
    vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockImplementation(() => ({
      createImageData: (width: number, height: number) => ({ width, height, data: new Uint8ClampedArray(width * height * 4) }),
      putImageData: (image: { data: Uint8ClampedArray }) => void drawn.push({ data: [...image.data] }),
    }) as unknown as CanvasRenderingContext2D);
    page = mount("share me");
  });

  it("shows nothing but the settings before any event", () => {
    for (const name of ["curves", "pictures", "texts", "tables", "log"]) expect(panel(page.root, name).hidden).toBe(true);
    expect(page.root.querySelector("#settings")).not.toBeNull();
  });

  it("draws one chart per numeric field with a series per split, against the step", () => {
    page.view.handle([
      event("status", { status: "running", device: "cpu" }),
      metric(10, { split: "train", loss: 1.2, accuracy: 0.4, bits_per_char: 1.73 }),
      metric(20, { split: "train", loss: 0.9, accuracy: 0.55, bits_per_char: 1.3 }),
      metric(20, { split: "val", loss: 1.0, accuracy: 0.5 }),
    ]);
    expect(panel(page.root, "curves").hidden).toBe(false);
    const loss = chartTitled(page.made, /^Loss/);
    expect(loss.options.series.map((s) => s.label)).toEqual(["train", "val"]);
    expect(loss.options.xLabel).toBe("step");
    expect(loss.options.y).toEqual(LOSS_AXIS);
    expect(loss.points).toEqual([[10, 0, 1.2], [20, 0, 0.9], [20, 1, 1.0]]);
    const accuracy = chartTitled(page.made, /^Accuracy \(%\)/);
    expect(accuracy.options.y).toEqual(PERCENT_AXIS);
    expect(accuracy.points.map(([x, index, value]) => [x, index, Math.round(value! * 10) / 10])).toEqual([[10, 0, 40], [20, 0, 55], [20, 1, 50]]);
    expect(chartTitled(page.made, /^Bits per char/).options.y).toEqual(LOSS_AXIS);
    expect(live(page.made)).toHaveLength(3);
  });

  it("draws a speed from zero, so that a steady one looks steady", () => {
    page.view.handle([metric(10, { split: "speed", epoch: 1, images_per_second: 2068.9 })]);
    expect(chartTitled(page.made, /^Images per second/).options.y).toEqual(RATE_AXIS);
  });

  it("draws a list field as one series per layer, on a log scale for norms", () => {
    page.view.handle([metric(5, { split: "grad", norms: [0.1, 0.01, 1] }), metric(10, { split: "grad", norms: [0.2, 0.02, 2] })]);
    const norms = chartTitled(page.made, /^Gradient norm of each layer/);
    expect(norms.options.series.map((s) => s.label)).toEqual(["layer 1", "layer 2", "layer 3"]);
    expect(norms.options.logScale).toBe(true);
    expect(norms.points).toHaveLength(6);
  });

  it("uses the epoch as x where every point has one, and the step once one has none", () => {
    page.view.handle([metric(25, { split: "train", epoch: 1, loss: 0.5 }), metric(50, { split: "train", epoch: 2, loss: 0.4 })]);
    expect(chartTitled(page.made, /^Loss/).options.xLabel).toBe("epoch");
    expect(chartTitled(page.made, /^Loss/).points.map(([x]) => x)).toEqual([1, 2]);
    page.view.handle([metric(60, { split: "train", loss: 0.3 })]);
    const redrawn = chartTitled(page.made, /^Loss/);
    expect(redrawn.options.xLabel).toBe("step");
    expect(redrawn.points.map(([x]) => x)).toEqual([25, 50, 60]);
  });

  it("writes the state, step and latest values of every split in the status line", () => {
    page.view.showRun({ status: "queued", queue_position: 2 });
    page.view.handle([event("status", { status: "running" })]);
    page.view.handle([metric(10, { split: "train", loss: 1.2, accuracy: 0.4 }), metric(10, { split: "val", loss: 1.3, accuracy: 0.38 })]);
    page.view.handle([metric(20, { split: "train", loss: 0.8, accuracy: 0.6 })]);
    page.view.handle([event("status", { status: "succeeded" })]);
    expect(page.texts).toEqual([
      "Queued: 1 run ahead of yours",
      "Starting: preparing the data and the network…",
      "step 10 · train loss 1.200 · train accuracy 40% · val loss 1.300 · val accuracy 38%",
      "step 20 · train loss 0.800 · train accuracy 60% · val loss 1.300 · val accuracy 38%",
      "Finished · step 20 · train loss 0.800 · train accuracy 60% · val loss 1.300 · val accuracy 38%",
    ]);
    expect(page.status.textContent).toBe(page.texts.at(-1));
  });

  it("says why a run failed, with its epoch and large numbers whole", () => {
    const line = genericStatusLine({ status: "failed", error: "the loss became NaN", position: null, message: "", epoch: 2.25, step: 90, reported: true, latest: [{ split: "", field: "chars_per_sec", value: 12345.6 }] });
    expect(line).toBe("Failed: the loss became NaN · Epoch 2.25 · step 90 · chars per sec 12,346");
  });

  it("shows the latest text of each name, the earlier ones folded away", () => {
    page.view.handle([event("text", { name: "sample", text: "First <b>try</b>" }, 100), event("text", { name: "sample", text: "Second try" }, 200)]);
    const article = page.root.querySelector<HTMLElement>('.run-text[data-name="sample"]')!;
    expect(article.querySelector("h3")!.textContent).toBe("sample · step 200");
    expect(article.querySelector(".run-text-latest")!.textContent).toBe("Second try");
    expect(article.querySelector("summary")!.textContent).toBe("Earlier sample texts (1)");
    expect(article.querySelector(".text-history pre")!.textContent).toBe("First <b>try</b>");
    expect(article.querySelector("b")).toBeNull(); // text, never markup
  });

  it("shows tables: rows under their columns, a shaded confusion matrix, anything else as keys and values", () => {
    page.view.handle([
      event("table", { name: "mistakes", columns: ["image", "true", "guess"], rows: [[3, "cat", "dog"], [9, "dog", "cat"]] }),
      event("table", { name: "confusion", labels: ["cat", "dog", "bird"], matrix: [[8, 2, 0], [1, 9, 0], [0, 0, 10]] }),
      event("table", { name: "summary", parameters: 61706, device: "cpu", shapes: [[1, 28, 28], [6, 24, 24]], classes: ["cat", "dog"] }),
    ]);
    const tables = page.root.querySelectorAll<HTMLTableElement>(".table-list table");
    expect([...tables].map((table) => table.caption?.textContent?.split(" ")[0])).toEqual(["mistakes", "confusion", "summary"]);
    const [rows, confusion, summary] = tables;
    expect([...rows.tHead!.rows[0].cells].map((cell) => cell.textContent)).toEqual(["image", "true", "guess"]);
    expect(rows.tBodies[0].rows[1].textContent).toBe("9dogcat");
    expect([...confusion.tHead!.rows[0].cells].map((cell) => cell.textContent)).toEqual(["", "cat", "dog", "bird"]);
    const cells = confusion.tBodies[0].querySelectorAll("td");
    expect(cells).toHaveLength(9);
    expect(cells[8].getAttribute("style")).toBe("background:rgb(22 110 181);color:#fff"); // the largest count: full blue, white figures
    expect(cells[2].getAttribute("style")).toContain("/ 0)");
    expect(cells[1].title).toBe("true cat, predicted dog: 2");
    expect([...summary.tBodies[0].rows].map((row) => [row.cells[0].textContent, row.cells[1].textContent])).toEqual([
      ["parameters", "61,706"],
      ["device", "cpu"],
      ["shapes", "2 rows of 3"],
      ["classes", "cat, dog"],
    ]);
    page.view.handle([event("table", { name: "confusion", labels: ["cat", "dog"], matrix: [[1, 0], [0, 1]] })]);
    expect(page.root.querySelectorAll(".table-list table")).toHaveLength(3);
    expect(page.root.querySelectorAll(".confusion tbody td")).toHaveLength(4); // the new matrix replaced the old
  });

  it("shows pictures: a URL with the share token, a data URL as it is, planes decoded on a canvas", () => {
    page.view.handle([
      event("image", { name: "frame", url: "/media/runs/7/frame-1.png", width: 256, height: 256 }, 10),
      event("image", { name: "filters", url: "data:image/png;base64,iVBORw0KGgo=" }, 10),
      event("image", { name: "surface", width: 2, height: 1, channels: 1, min: -1, max: 1, values: PLANE }, 10),
      event("image", { name: "frame", url: "/media/runs/7/frame-2.png?v=2" }, 20),
    ]);
    const figures = [...page.root.querySelectorAll<HTMLElement>(".run-picture")];
    expect(figures.map((figure) => figure.dataset.name)).toEqual(["frame", "filters", "surface"]);
    expect(figures[0].querySelector("img")!.getAttribute("src")).toBe("/media/runs/7/frame-2.png?v=2&token=share%20me");
    expect(figures[0].querySelector("figcaption")!.textContent).toBe("frame · step 20");
    expect(figures[1].querySelector("img")!.getAttribute("src")).toBe("data:image/png;base64,iVBORw0KGgo=");
    expect(figures[2].querySelector("canvas")!.width).toBe(2);
    expect(drawn[0].data.slice(0, 3)).toEqual([232, 131, 28]); // -1: the negative orange
    expect(drawn[0].data.slice(4, 7)).toEqual([22, 110, 181]); // +1: the positive blue
  });

  it("lists log lines with their level", () => {
    page.view.handle([event("log", { level: "info", message: "Loaded 1,797 images" }), event("log", { level: "warning", message: "The loss rose" }, 40)]);
    const lines = [...page.root.querySelectorAll(".run-log li")].map((li) => li.textContent);
    expect(lines).toEqual(["Loaded 1,797 images", "warning: The loss rose · step 40"]);
    expect(panel(page.root, "log").hidden).toBe(false);
  });

  it("says so when a picture cannot be decoded, and draws the rest", () => {
    page.view.handle([event("image", { name: "broken", width: 4, height: 4, values: PLANE }), event("text", { name: "after", text: "still here" })]);
    expect(page.root.querySelector('.run-picture[data-name="broken"]')!.textContent).toMatch(/could not be decoded/);
    expect(page.root.querySelector(".run-text-latest")!.textContent).toBe("still here");
  });
});

describe("the generic view's side column", () => {
  it("holds the settings, and no Network panel for a run without a net", () => {
    const { root } = mount();
    expect(root.querySelector(".generic-side #settings")).not.toBeNull();
    expect(root.querySelector("#run-net-title")).toBeNull();
  });
});
