/** The teacher's form for a new assignment: a page's configuration (a share link, or the task's defaults),
 * the locked settings, the constraints, the metric, the deadline and the instructions. */
import { apiGet, apiPost } from "../shared/api";
import { h, uniqueId } from "../shared/dom";
import { ApiForm } from "../shared/forms";
import { fieldsOf } from "../shared/schema";
import { settingName } from "../shared/settingtext";
import type { TaskInfo } from "../shared/tasks";

/**
 * What a page's runs can be scored by: a split and a field of their metric events
 * (docs/api.md, "Events"), and which way is better. A page not named here takes `default`.
 */
const METRICS: Record<string, [string, string][]> = {
  default: [
    ["test.accuracy|max", "Test accuracy, higher is better"],
    ["test.loss|min", "Test loss, lower is better"],
    ["train.loss|min", "Training loss, lower is better"],
  ],
  text: [
    ["val.loss|min", "Validation loss, lower is better"],
    ["val.bpc|min", "Validation bits per character, lower is better"],
    ["train.loss|min", "Training loss, lower is better"],
  ],
  style: [
    ["loss.total|min", "Total loss, lower is better"],
    ["loss.style|min", "Style loss, lower is better"],
    ["loss.content|min", "Content loss, lower is better"],
  ],
};

/** The metrics a page's runs can be scored by. */
export function metricsFor(task: string): [string, string][] {
  return METRICS[task] ?? METRICS.default;
}

/** The slug in a share link ("https://site/s/AbC" or "AbC"), or "". */
export function slugOf(link: string): string {
  const text = link.trim();
  const match = /\/s\/([A-Za-z0-9_-]+)/.exec(text);
  return match ? match[1] : /^[A-Za-z0-9_-]+$/.test(text) ? text : "";
}

/** The form, for the course's teacher. */
export async function newAssignmentForm(courseId: number): Promise<HTMLElement> {
  const [tasks, palette] = await Promise.all([apiGet<TaskInfo[]>("tasks"), apiGet<{ type: string }[]>("nets/layers")]);
  const lockBox = h("fieldset", { className: "checks" }, h("legend", {}, "Locked settings (students cannot change them; the dataset always is)"));
  const layerBox = h("fieldset", { className: "checks" }, h("legend", {}, "Layer types allowed (none ticked: any)"));
  const fillLocks = (taskName: string) => {
    const task = tasks.find((t) => t.name === taskName);
    const names = task ? [...fieldsOf(task.schema).keys()].filter((n) => n !== "dataset" && n !== "points") : [];
    lockBox.replaceChildren(lockBox.firstChild as Node, ...names.map((name) => {
      const id = uniqueId(`lock-${name}`);
      return h("span", { className: "check" }, h("input", { type: "checkbox", id, value: name, name: "locked" }), h("label", { for: id }, settingName(name)));
    }));
  };
  layerBox.append(...palette.map((entry) => {
    const id = uniqueId(`layer-${entry.type}`);
    return h("span", { className: "check" }, h("input", { type: "checkbox", id, value: entry.type, name: "allowed" }), h("label", { for: id }, entry.type));
  }));
  const ticked = (box: HTMLElement) => [...box.querySelectorAll<HTMLInputElement>("input:checked")].map((input) => input.value);
  const number = (text: string) => (text.trim() === "" ? null : Number(text));
  const form = new ApiForm(
    [
      { name: "title", label: "Title" },
      { name: "task", label: "Page", options: tasks.map((t) => [t.name, t.title]), value: tasks[0]?.name },
      { name: "config", label: "Starting settings: a share link (Share on the page), or empty for the page's defaults", attrs: { placeholder: `${location.origin}/s/…` } },
      { name: "max_params", label: "Parameter budget (most parameters allowed)", type: "number", attrs: { min: 1 } },
      { name: "max_epochs", label: "Most epochs allowed", type: "number", attrs: { min: 1 } },
      { name: "metric", label: "What counts", options: metricsFor(tasks[0]?.name ?? "") },
      { name: "deadline", label: "Deadline (your local time; empty: none)", type: "datetime-local" },
      { name: "late_policy", label: "Late submissions", options: [["mark", "accepted, marked late"], ["refuse", "refused"]] },
      { name: "instructions", label: "Instructions (Markdown)", multiline: true },
    ],
    "Set the assignment",
    async (values) => {
      const slug = slugOf(values.config);
      let config: Record<string, unknown> = {};
      if (values.config.trim()) {
        if (!slug) throw new Error("The starting settings must be a share link such as https://…/s/AbCdEf, or empty.");
        const shared = await apiGet<{ task: string; config: Record<string, unknown> }>(`configs/${slug}`);
        if (shared.task !== values.task) throw new Error(`That share link is for the ${shared.task} page, not ${values.task}.`);
        config = shared.config;
      }
      const [metric, direction] = values.metric.split("|");
      const made = await apiPost<{ id: number }>(`courses/${courseId}/assignments`, {
        title: values.title, task: values.task, config, locked: ticked(lockBox), allowed_layers: ticked(layerBox),
        max_params: number(values.max_params), max_epochs: number(values.max_epochs), metric, higher_is_better: direction === "max",
        deadline: values.deadline ? new Date(values.deadline).toISOString() : null, late_policy: values.late_policy, instructions: values.instructions,
      });
      location.assign(`/assignments/${made.id}`);
    },
    [lockBox, layerBox],
  );
  const taskSelect = form.inputs.get("task") as HTMLSelectElement;
  const metricSelect = form.inputs.get("metric") as HTMLSelectElement;
  const epochsRow = form.element.querySelector<HTMLElement>('[data-form-field="max_epochs"]');
  const fitTask = (taskName: string) => {
    fillLocks(taskName);
    metricSelect.replaceChildren(...metricsFor(taskName).map(([value, words]) => h("option", { value }, words)));
    // A task without epochs (Style counts iterations) has none to limit; the server refuses a limit too.
    const task = tasks.find((t) => t.name === taskName);
    if (epochsRow) epochsRow.hidden = !(task && fieldsOf(task.schema).has("epochs"));
    if (epochsRow?.hidden) (form.inputs.get("max_epochs") as HTMLInputElement).value = "";
  };
  taskSelect.addEventListener("change", () => fitTask(taskSelect.value));
  fitTask(taskSelect.value);
  return h("section", { className: "panel new-assignment", "aria-labelledby": "new-assignment-title" }, h("h2", { id: "new-assignment-title" }, "New assignment"), form.element);
}
