// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { followAddress, metricWords, openState, readAddress, withLocks, type Assignment } from "../../src/shared/pagecontext";
import { PageState } from "../../src/shared/state";
import type { TaskInfo } from "../../src/shared/tasks";

const TASK: TaskInfo = {
  name: "toy",
  title: "Toy",
  schema: { type: "object", properties: { dataset: { type: "string" }, learning_rate: { type: "number" }, epochs: { type: "integer" } } },
  default_config: { dataset: "xor", learning_rate: 0.03, epochs: 50 },
};

const ASSIGNMENT: Assignment = {
  id: 3, course: 1, course_name: "Deep learning 101", title: "XOR", task: "toy", config: { dataset: "circle", learning_rate: 0.1, epochs: 20 },
  locked: ["learning_rate", "dataset"], allowed_layers: [], max_params: null, max_epochs: null, metric: "test.accuracy", higher_is_better: true,
  deadline: null, late_policy: "mark", instructions: "", instructions_html: "", is_teacher: false,
};

/** The page's HTML carrying what the server embeds. */
function embed(id: string, value: unknown): void {
  const script = document.createElement("script");
  script.type = "application/json";
  script.id = id;
  script.textContent = JSON.stringify(value);
  document.body.append(script);
}

describe("what a page was opened with", () => {
  afterEach(() => {
    document.body.replaceChildren();
    history.replaceState(null, "", "/");
  });

  it("says an assignment's metric in words", () => {
    expect(metricWords("test.accuracy", true)).toBe("test accuracy (higher is better)");
    expect(metricWords("loss.total", false)).toBe("total loss (lower is better)");
  });

  it("puts an assignment's locked settings back", () => {
    expect(withLocks({ learning_rate: 0.5, epochs: 9 }, ASSIGNMENT)).toEqual({ learning_rate: 0.1, dataset: "circle", epochs: 9 });
    expect(withLocks({ learning_rate: 0.5 }, null)).toEqual({ learning_rate: 0.5 });
  });

  it("reads the address over the assignment's settings and under its locks", () => {
    const state = new PageState(TASK);
    readAddress(state, "#learning_rate=0.5&epochs=5", ASSIGNMENT);
    expect(state.values).toEqual({ dataset: "circle", learning_rate: 0.1, epochs: 5 });
    readAddress(state, "#learning_rate=0.5", null);
    expect(state.values).toEqual({ dataset: "xor", learning_rate: 0.5, epochs: 50 });
  });

  it("opens the address alone on a plain visit", () => {
    history.replaceState(null, "", "/toy#epochs=7");
    const state = new PageState(TASK);
    expect(openState(state, "/toy")).toBeNull();
    expect(state.values).toEqual({ dataset: "xor", learning_rate: 0.03, epochs: 7 });
  });

  it("opens a share link's settings and makes the address the page's own", () => {
    embed("shared-config", { slug: "AbC", task: "toy", config: { learning_rate: 0.3 } });
    history.replaceState(null, "", "/s/AbC");
    const state = new PageState(TASK);
    expect(openState(state, "/toy")).toBeNull();
    expect(state.values.learning_rate).toBe(0.3);
    expect(location.pathname).toBe("/toy");
  });

  it("opens an assignment with what the student changed, its locks holding", () => {
    embed("assignment", ASSIGNMENT);
    history.replaceState(null, "", "/assignments/3/work#epochs=12&learning_rate=0.9");
    const state = new PageState(TASK);
    expect(openState(state, "/toy")).toEqual(ASSIGNMENT);
    expect(state.values).toEqual({ dataset: "circle", learning_rate: 0.1, epochs: 12 });
    expect(location.pathname).toBe("/assignments/3/work");
  });

  it("follows the visitor's changes to the address, not its own writes", () => {
    history.replaceState(null, "", "/assignments/3/work");
    const state = new PageState(TASK);
    readAddress(state, "", ASSIGNMENT);
    state.writeAddress();
    let rereads = 0;
    followAddress(state, ASSIGNMENT, () => rereads++);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    expect(rereads).toBe(0);
    location.hash = "epochs=3&learning_rate=0.7";
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    expect(rereads).toBe(1);
    expect(state.values).toEqual({ dataset: "circle", learning_rate: 0.1, epochs: 3 });
  });
});
