// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { AssignmentBar } from "../../src/shared/assignmentbar";
import type { Run } from "../../src/shared/events";
import type { Assignment } from "../../src/shared/pagecontext";

const ASSIGNMENT: Assignment = {
  id: 3, course: 1, course_name: "Deep learning 101", title: "XOR", task: "basics", config: { learning_rate: 0.03 }, locked: ["learning_rate"],
  allowed_layers: [], max_params: null, max_epochs: null, metric: "test.accuracy", higher_is_better: true, deadline: null,
  late_policy: "mark", instructions: "", instructions_html: "", is_teacher: false,
};

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the assignment bar's Submit", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("waits for the run to finish, and says why", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => new Response("{}", { status: 201, headers: { "Content-Type": "application/json" } })));
    const bar = new AssignmentBar(ASSIGNMENT);
    const submit = bar.element.querySelector("button")!;
    const hint = bar.element.querySelector(".assignment-result")!;
    expect(submit.disabled).toBe(true);
    document.body.dataset.training = "running";
    bar.runStarted({ id: 12 } as Run);
    expect(submit.textContent).toBe("Submit run 12");
    expect(submit.disabled).toBe(true);
    expect(hint.textContent).toBe("Submit opens when run 12 has finished: it is scored on its final numbers.");
    document.body.dataset.training = "finished";
    await settle();
    expect(submit.disabled).toBe(false);
    expect(hint.textContent).toBe("");
    document.body.dataset.training = "idle"; // a setting changed: the finished run may still be submitted
    await settle();
    expect(submit.disabled).toBe(false);
    document.body.dataset.training = "running"; // the next run (Step) starts
    await settle();
    expect(submit.disabled).toBe(true);
  });
});
