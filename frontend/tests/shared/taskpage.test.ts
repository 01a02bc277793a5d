// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Assignment } from "../../src/shared/pagecontext";
import { PageState } from "../../src/shared/state";
import { startTaskPage } from "../../src/shared/taskpage";
import type { TaskInfo } from "../../src/shared/tasks";

const TOY: TaskInfo = {
  name: "toy",
  title: "Toy",
  schema: { type: "object", properties: { learning_rate: { type: "number" } } },
  default_config: { learning_rate: 0.03 },
};

const ASSIGNMENT: Assignment = {
  id: 3, course: 1, course_name: "Deep learning 101", title: "Slow learner", task: "toy", config: { learning_rate: 0.01 },
  locked: ["learning_rate"], allowed_layers: [], max_params: null, max_epochs: null, metric: "train.loss", higher_is_better: false,
  deadline: null, late_policy: "mark", instructions: "", instructions_html: "", is_teacher: false,
};

function answering(tasks: TaskInfo[]) {
  return vi.fn(async () => new Response(JSON.stringify(tasks), { status: 200, headers: { "Content-Type": "application/json" } }));
}

/** A page of one locked-able control and the run bar's slots. */
function build({ root, state }: { root: HTMLElement; state: PageState }, extra: string): void {
  root.innerHTML = `<div id="share-slot"></div><a id="run-link" hidden></a><div class="field" data-field="learning_rate"><input id="rate"></div>`;
  root.dataset.extra = extra;
  root.dataset.rate = String(state.values.learning_rate);
}

describe("the start of a task's page", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.replaceChildren();
    history.replaceState(null, "", "/");
  });

  it("builds the page over its state, with what else it loaded, then adds Share", async () => {
    vi.stubGlobal("fetch", answering([TOY]));
    document.body.innerHTML = `<main id="toy"></main>`;
    history.replaceState(null, "", "/toy#learning_rate=0.2");
    await startTaskPage({ task: "toy", title: "Toy", state: (task) => new PageState(task), load: async () => "loaded", build });
    const root = document.getElementById("toy")!;
    expect([root.dataset.extra, root.dataset.rate]).toEqual(["loaded", "0.2"]);
    expect(root.querySelector("#share-slot button")?.textContent).toBe("Share");
    expect(root.querySelector(".assignment-bar")).toBeNull();
  });

  it("opens an assignment: its settings, its bar and its locked controls", async () => {
    vi.stubGlobal("fetch", answering([TOY]));
    vi.stubGlobal("CSS", { escape: (text: string) => text }); // jsdom has no CSS.escape
    document.body.innerHTML = `<main id="toy"></main><script type="application/json" id="assignment">${JSON.stringify(ASSIGNMENT)}</script>`;
    history.replaceState(null, "", "/assignments/3/work#learning_rate=0.9");
    await startTaskPage({ task: "toy", title: "Toy", state: (task) => new PageState(task), build: (start) => build(start, "") });
    const root = document.getElementById("toy")!;
    expect(root.dataset.rate).toBe("0.01");
    expect(root.firstElementChild?.classList.contains("assignment-bar")).toBe(true);
    expect(root.querySelector("#assignment-title")?.textContent).toContain("Slow learner");
    expect((root.querySelector("#rate") as HTMLInputElement).disabled).toBe(true);
  });

  it("says why it could not start, as an alert", async () => {
    vi.stubGlobal("fetch", answering([]));
    document.body.innerHTML = `<main id="toy"></main>`;
    await startTaskPage({ task: "toy", title: "Toy", state: (task) => new PageState(task), build: () => undefined });
    const root = document.getElementById("toy")!;
    expect([root.dataset.state, root.getAttribute("role"), root.textContent]).toEqual(["failed", "alert", "The page could not start: Error: The server offers no Toy task."]);
  });
});
