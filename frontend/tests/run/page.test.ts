// @vitest-environment jsdom
import { describe, expect, it, vi } from "vitest";
import { forkControl, taskPages } from "../../src/run/page";
import { runViewFor, viewChoice } from "../../src/run/views";
import type { Run } from "../../src/shared/events";
import type { TaskInfo } from "../../src/shared/tasks";

// uPlot asks for the screen's pixel ratio when it loads; jsdom has no media queries.
vi.hoisted(() => {
  window.matchMedia ??= (() => ({ matches: false, addEventListener() {}, removeEventListener() {} })) as unknown as typeof window.matchMedia;
});

const SCHEMA = { type: "object", properties: { dataset: { type: "string", enum: ["xor", "circle"] }, epochs: { type: "integer" } } };

function run(task: string): Run {
  return { id: 3, task, status: "succeeded", config: { dataset: "circle", epochs: 15 }, created: "", started: null, finished: null, error: "", queue_position: null, device: "cpu", parent: null, last_seq: 9 };
}

function taskInfo(name: string, title: string): TaskInfo {
  return { name, title, default_config: {}, schema: SCHEMA };
}

describe("which view draws a run", () => {
  it("gives a task its own view, any other task the generic one, and the generic one when the address asks", async () => {
    const { mountBasicsRun } = await import("../../src/basics/runpage");
    expect(await runViewFor("basics")).toBe(mountBasicsRun);
    expect(await runViewFor("probe")).not.toBe(mountBasicsRun);
    expect(await runViewFor("basics", "generic")).not.toBe(mountBasicsRun);
  });

  it("reads the view the address asks for", () => {
    expect(viewChoice("?view=generic&token=abc")).toBe("generic");
    expect(viewChoice("?token=abc")).toBe("task");
    expect(viewChoice("?view=nonsense")).toBe("task");
  });
});

describe("Fork", () => {
  it("opens the run's configuration on its task's page", () => {
    const fork = forkControl(run("basics"), taskInfo("basics", "Basics"), "/basics");
    expect(fork.tagName).toBe("A");
    expect(fork.getAttribute("href")).toMatch(/^\/basics#dataset=circle.*epochs=15/);
  });

  it("is disabled, saying why, for a task without a page", () => {
    document.body.replaceChildren(forkControl(run("probe"), taskInfo("probe", "Probe"), undefined));
    const button = document.querySelector("button")!;
    expect(button.textContent).toBe("Fork");
    expect(button.disabled).toBe(true);
    const why = document.getElementById(button.getAttribute("aria-describedby")!)!;
    expect(why.textContent).toBe("The Probe task has no page of its own, so this run's settings cannot be opened there to change and train again.");
  });

  it("is disabled for a task the server no longer offers", () => {
    const fork = forkControl(run("retired"), undefined, "/retired");
    expect(fork.querySelector("button")!.disabled).toBe(true);
    expect(fork.textContent).toMatch(/no longer offers the retired task/);
  });

  it("knows each task's page from the page's own HTML", () => {
    document.body.innerHTML = '<script id="task-pages" type="application/json">{"basics": "/basics"}</script>';
    expect(taskPages()).toEqual({ basics: "/basics" });
    document.body.replaceChildren();
    expect(taskPages()).toEqual({});
  });
});
