import { describe, expect, it } from "vitest";
import type { Heatmap } from "../../src/basics/heatmap";
import { RunView, statusLine, type RunProgress } from "../../src/basics/runview";
import type { RunEvent } from "../../src/shared/events";
import type { LineChart } from "../../src/shared/linechart";
import { waitingText } from "../../src/shared/runview";

/** A status element that remembers every text it was given. */
function statusElement() {
  const texts: string[] = [];
  const element = {
    get textContent() {
      return texts[texts.length - 1] ?? "";
    },
    set textContent(text: string) {
      if (text !== texts[texts.length - 1]) texts.push(text);
    },
  };
  return { element: element as unknown as HTMLElement, texts };
}

function view() {
  const status = statusElement();
  const chart = { put() {}, clear() {} } as unknown as LineChart;
  const heatmap = { setPoints() {}, setSurface() {} } as unknown as Heatmap;
  return { view: new RunView({ heatmap, lossChart: chart, accuracyChart: chart, status: status.element }), texts: status.texts };
}

let seq = 0;
const status = (data: Record<string, unknown>): RunEvent => ({ seq: ++seq, type: "status", step: null, data });
const metric = (split: string, epoch: number, loss: number, accuracy: number): RunEvent => ({ seq: ++seq, type: "metric", step: epoch * 25, data: { split, epoch, loss, accuracy } });

describe("the status line while a run waits", () => {
  it("says how many runs are ahead, or that it starts next", () => {
    expect(waitingText(3, "")).toBe("Queued: 2 runs ahead of yours");
    expect(waitingText(2, "")).toBe("Queued: 1 run ahead of yours");
    expect(waitingText(1, "")).toBe("Starting next");
    expect(waitingText(null, "")).toBe("Queued");
    expect(waitingText(4, "", 95)).toBe("Queued: 3 runs ahead of yours (about 2 min)");
    expect(waitingText(2, "", 12)).toBe("Queued: 1 run ahead of yours (about 10 s)");
    expect(waitingText(1, "", 30)).toBe("Starting next");
  });

  it("gives the server's reason when there is one", () => {
    expect(waitingText(1, "Waiting for a training process to get ready.")).toBe("Waiting for a training process to get ready.");
  });

  it("keeps a continued run's numbers behind its place in the queue", () => {
    const progress: RunProgress = { epoch: 12, step: 300, trainLoss: 0.3, testLoss: null, trainAccuracy: null, testAccuracy: null, status: "queued", error: "", position: 2, message: "" };
    expect(statusLine(progress)).toBe("Queued: 1 run ahead of yours · Epoch 12 · step 300 · train loss 0.300");
  });
});

describe("a run's status from queued to training", () => {
  it("goes Queued → Starting → Epoch 0 without flashing 'Ready to train.'", () => {
    const { view: runView, texts } = view();
    runView.reset();
    runView.showRun({ status: "queued", queue_position: 3 });
    for (const batch of [
      [status({ status: "queued", position: 3 })],
      [status({ status: "queued", position: 2 })],
      [status({ status: "queued", position: 1, message: "Waiting for a training process to get ready." })],
      [status({ status: "queued", position: 1 })],
      [status({ status: "running" })],
      [metric("train", 0, 0.7, 0.5), metric("test", 0, 0.71, 0.49)],
      [metric("train", 1, 0.6, 0.6)],
    ])
      runView.handle(batch);
    expect(texts).toEqual([
      "Ready to train.",
      "Queued: 2 runs ahead of yours",
      "Queued: 1 run ahead of yours",
      "Waiting for a training process to get ready.",
      "Starting next",
      "Starting: preparing the data and the network…",
      "Epoch 0 · step 0 · train loss 0.700 · test loss 0.710 · test accuracy 49%",
      "Epoch 1 · step 25 · train loss 0.600 · test loss 0.710 · test accuracy 49%",
    ]);
  });

  it("shows why a run stopped, and pausing, with the numbers", () => {
    const { view: runView, texts } = view();
    runView.handle([status({ status: "running" }), metric("train", 4, 0.5, 0.7), status({ status: "paused" })]);
    expect(texts.at(-1)).toBe("Paused · Epoch 4 · step 100 · train loss 0.500 · train accuracy 70%");
    runView.handle([status({ status: "failed", error: "the loss became NaN" })]);
    expect(texts.at(-1)).toBe("Failed: the loss became NaN · Epoch 4 · step 100 · train loss 0.500 · train accuracy 70%");
  });
});
