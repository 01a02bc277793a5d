// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Run } from "../../src/shared/events";
import { runBarHtml, showPageErrors, showRunLink, showTrainerState, wireRunButtons } from "../../src/shared/runbar";
import type { Trainer, TrainerState } from "../../src/shared/trainer";

function fakeTrainer(state: TrainerState) {
  return { state, train: vi.fn(), pause: vi.fn(), resume: vi.fn(), stop: vi.fn() };
}

describe("the run bar", () => {
  beforeEach(() => {
    document.body.innerHTML = runBarHtml({ label: "Epoch", id: "epoch-value" }, "Ready to train.");
  });

  it("has a labelled status line and the counter", () => {
    expect(document.getElementById("status-line")?.getAttribute("role")).toBe("status");
    expect(document.getElementById("status-line")?.textContent).toBe("Ready to train.");
    expect(document.getElementById("epoch-value")?.textContent).toBe("0");
  });

  it("trains, pauses, resumes and stops by where training stands", () => {
    const trainer = fakeTrainer("idle");
    wireRunButtons(trainer as unknown as Trainer);
    const train = document.getElementById("train-button")!;
    train.click();
    expect(trainer.train).toHaveBeenCalledTimes(1);
    trainer.state = "running";
    train.click();
    expect(trainer.pause).toHaveBeenCalledTimes(1);
    trainer.state = "paused";
    train.click();
    expect(trainer.resume).toHaveBeenCalledTimes(1);
    trainer.state = "starting";
    train.click();
    expect(trainer.train).toHaveBeenCalledTimes(1);
    document.getElementById("stop-button")!.click();
    expect(trainer.stop).toHaveBeenCalledTimes(1);
  });

  it("names Train's next step, shows Stop while a run is active and tells the page", () => {
    const train = document.getElementById("train-button") as HTMLButtonElement;
    const stop = document.getElementById("stop-button")!;
    const seen = (["idle", "starting", "running", "paused", "finished"] as TrainerState[]).map((state) => {
      showTrainerState(state);
      return [train.textContent, train.disabled, stop.hidden, document.body.dataset.training];
    });
    expect(seen).toEqual([
      ["Train", false, true, "idle"],
      ["Train", true, true, "starting"],
      ["Pause", false, false, "running"],
      ["Resume", false, false, "paused"],
      ["Train", false, true, "finished"],
    ]);
  });

  it("links the run and lists the problems no control shows", () => {
    showRunLink({ id: 42 } as Run);
    const link = document.getElementById("run-link") as HTMLAnchorElement;
    expect([link.getAttribute("href"), link.textContent, link.hidden]).toEqual(["/runs/42", "Run 42: open its page", false]);
    showPageErrors([{ path: "", message: "<b>no</b>" }, { path: "config.net", message: "too big" }], (p) => `${p.path || "-"}: ${p.message}`);
    const lines = [...document.querySelectorAll("#page-errors p")].map((p) => p.textContent);
    expect(lines).toEqual(["-: <b>no</b>", "config.net: too big"]);
    expect(document.querySelector("#page-errors b")).toBeNull();
  });
});
