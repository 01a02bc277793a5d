/**
 * A run's page, whatever its task: the title, Fork and the share link, the status line and the
 * settings; the task's view (`views.ts`) draws the rest from the run's events, replayed from the
 * start and followed live.
 */
import { apiGet } from "../shared/api";
import { h } from "../shared/dom";
import type { Run } from "../shared/events";
import { parsePalette } from "../shared/palette";
import { RunStream } from "../shared/runstream";
import { fieldsOf, type SchemaNode } from "../shared/schema";
import { settingName, settingValue } from "../shared/settingtext";
import { propsFromFields, serializeState, type State } from "../shared/state";
import type { TaskInfo } from "../shared/tasks";
import { visibilityControl } from "../shared/visibility";
import { runViewFor, viewChoice } from "./views";

/** The address that opens a run's configuration on its task's page (`pageUrl`, such as "/basics"). */
export function forkUrl(pageUrl: string, config: Record<string, unknown>, schema: SchemaNode): string {
  const fields = fieldsOf(schema);
  return `${pageUrl}#${serializeState(config as State, propsFromFields(fields.values()))}`;
}

/** The address that lets someone else watch a run. */
export function shareUrl(origin: string, run: Run): string | null {
  return run.share_token ? `${origin}/runs/${run.id}?token=${encodeURIComponent(run.share_token)}` : null;
}

/** The page of each task that has one, as the server renders it into the page (`pages.py`). */
export function taskPages(): Record<string, string> {
  const element = document.getElementById("task-pages");
  return element?.textContent ? (JSON.parse(element.textContent) as Record<string, string>) : {};
}

/** Fork: a link that opens the run's configuration on its task's page, or a disabled button saying why there is none. */
export function forkControl(run: Run, task: TaskInfo | undefined, pageUrl: string | undefined): HTMLElement {
  if (task && pageUrl) return h("a", { className: "button primary", href: forkUrl(pageUrl, run.config, task.schema) }, "Fork");
  const title = task?.title ?? run.task;
  const why = pageUrl
    ? `The server no longer offers the ${title} task, so this run's settings cannot be trained again.`
    : `The ${title} task has no page of its own, so this run's settings cannot be opened there to change and train again.`;
  return h(
    "div",
    { className: "fork-off" },
    h("button", { type: "button", disabled: true, "aria-describedby": "fork-why" }, "Fork"),
    h("p", { className: "hint", id: "fork-why" }, why),
  );
}

/** The run's settings as a table: names in words, lists as chips, in the schema's order. */
export function settingsTable(config: Record<string, unknown>, schema: SchemaNode | undefined): HTMLElement {
  const order = schema ? [...fieldsOf(schema).keys()] : [];
  const keys = [...order.filter((key) => key in config), ...Object.keys(config).filter((key) => !order.includes(key))];
  const cell = (key: string) => {
    const value = settingValue(key, config[key]);
    if (typeof value === "string") return h("td", { className: value === "none" ? "none" : null }, value);
    return h("td", {}, h("ul", { className: "chips" }, value.map((item) => h("li", {}, item))));
  };
  return h(
    "table",
    { className: "settings-table" },
    h("caption", { className: "visually-hidden" }, "The run's settings"),
    h("tbody", {}, keys.map((key) => h("tr", {}, h("th", { scope: "row" }, settingName(key)), cell(key)))),
  );
}

function shareField(share: string): HTMLElement {
  const field = h("input", { id: "share-link", type: "text", readonly: true, value: share, size: 52 });
  const copy = h("button", { type: "button", className: "small" }, "Copy");
  copy.addEventListener("click", () => {
    field.select();
    void navigator.clipboard?.writeText(share).then(() => (copy.textContent = "Copied"), () => undefined);
  });
  return h("div", { className: "field share" }, h("label", { for: "share-link" }, "Share link (anyone with it can watch)"), h("div", { className: "share-row" }, field, copy));
}

/** Builds the page for one run inside `root`; `search` is the address's query (`?token=…&view=generic`). */
export async function showRun(root: HTMLElement, runId: number, search: string): Promise<void> {
  const token = new URLSearchParams(search).get("token") ?? "";
  const query = token ? `?token=${encodeURIComponent(token)}` : "";
  const [run, tasks, palette] = await Promise.all([
    apiGet<Run>(`runs/${runId}${query}`),
    apiGet<TaskInfo[]>("tasks"),
    apiGet<unknown>("nets/layers"),
  ]);
  const task = tasks.find((t) => t.name === run.task);
  const mount = await runViewFor(run.task, viewChoice(search));
  const status = h("p", { className: "status-line", role: "status" }, "Loading events…");
  const note = h("p", { className: "run-note hint" });
  const share = shareUrl(window.location.origin, run);
  root.replaceChildren(
    h("h1", {}, `Run ${run.id}`, h("span", { className: "run-task" }, task?.title ?? run.task)),
    h("div", { className: "run-actions" }, forkControl(run, task, taskPages()[run.task]), share && run.is_owner ? shareField(share) : null, run.is_owner && run.visibility ? visibilityControl(run) : null),
    h("div", { className: "status-row" }, status, note),
  );
  const settings = h("section", { className: "panel", "aria-labelledby": "run-config-title" }, h("h2", { id: "run-config-title" }, "Settings"), settingsTable(run.config, task?.schema));
  const view = mount({ root, run, status, note, settings, palette: parsePalette(palette), token });
  view.showRun(run);
  new RunStream({
    runId: run.id,
    token: token || undefined,
    onEvents: (events) => {
      view.handle(events);
      root.dataset.lastSeq = String(events[events.length - 1].seq);
    },
    onState: (state) => {
      if (state === "refused") status.textContent = "This run is not yours, and the link has no valid share token.";
    },
  }).start();
}
