/** My runs (status, task, key metric, time, device; filters; pick runs to compare) and the gallery of public runs. */
import { apiGet } from "../shared/api";
import { h, uniqueId } from "../shared/dom";
import type { Run } from "../shared/events";
import { when } from "../shared/forms";
import type { TaskInfo } from "../shared/tasks";
import { VISIBILITY_WORDS } from "../shared/visibility";

/** A run as `GET /api/runs` lists it, with its key metric. */
export interface ListedRun extends Run {
  metric: { name: string; value: number } | null;
}

/** A key metric in words: "test accuracy 93.0%", "test loss 0.123". */
export function metricText(metric: { name: string; value: number } | null): string {
  if (!metric) return "–";
  const words = metric.name.replace(".", " ");
  return metric.name.endsWith("accuracy") ? `${words} ${(metric.value * 100).toFixed(1)}%` : `${words} ${metric.value.toFixed(3)}`;
}

const STATUSES = ["", "queued", "running", "paused", "succeeded", "failed", "cancelled"];

function select(label: string, options: [string, string][], value: string, change: (value: string) => void): HTMLElement {
  const id = uniqueId("filter");
  const element = h("select", { id }, options.map(([v, words]) => h("option", { value: v, selected: v === value }, words)));
  element.addEventListener("change", () => change(element.value));
  return h("div", { className: "field" }, h("label", { for: id }, label), element);
}

/** My runs: a table with filters, and checkboxes that choose the runs to compare. */
export async function showMyRuns(root: HTMLElement): Promise<void> {
  const tasks = await apiGet<TaskInfo[]>("tasks");
  const params = new URLSearchParams(location.search);
  const filters = { status: params.get("status") ?? "", task: params.get("task") ?? "" };
  const body = h("tbody");
  const count = h("p", { className: "hint", role: "status" });
  const compare = h("a", { className: "button primary", href: "/compare", "aria-disabled": "true" }, "Compare the chosen runs");
  const chosen = new Set<number>();
  const updateCompare = () => {
    compare.setAttribute("href", `/compare?runs=${[...chosen].join(",")}`);
    compare.setAttribute("aria-disabled", String(chosen.size < 2));
    compare.textContent = chosen.size < 2 ? "Choose two or more runs to compare" : `Compare ${chosen.size} runs`;
  };
  const load = async () => {
    const query = new URLSearchParams({ limit: "200", ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) });
    history.replaceState(null, "", `/my/runs${filters.status || filters.task ? `?${new URLSearchParams(Object.entries(filters).filter(([, v]) => v)).toString()}` : ""}`);
    const runs = await apiGet<ListedRun[]>(`runs?${query.toString()}`);
    count.textContent = runs.length ? `${runs.length} run${runs.length === 1 ? "" : "s"}.` : "No runs here yet: train one on a page, and it appears here.";
    body.replaceChildren(
      ...runs.map((run) => {
        const box = h("input", { type: "checkbox", id: `pick-${run.id}`, checked: chosen.has(run.id), "aria-label": `Compare run ${run.id}` });
        box.addEventListener("change", () => {
          if (box.checked) chosen.add(run.id);
          else chosen.delete(run.id);
          updateCompare();
        });
        return h("tr", {},
          h("td", {}, box),
          h("td", {}, h("a", { href: `/runs/${run.id}` }, `Run ${run.id}`)),
          h("td", {}, tasks.find((t) => t.name === run.task)?.title.split(":")[0] ?? run.task),
          h("td", {}, h("span", { className: `status-chip status-${run.status}` }, run.status)),
          h("td", {}, metricText(run.metric)),
          h("td", {}, when(run.created)),
          h("td", {}, run.device || "–"),
          h("td", {}, run.visibility ? VISIBILITY_WORDS[run.visibility].split(":")[0] : "–"),
        );
      }),
    );
  };
  root.replaceChildren(
    h("h1", {}, "My runs"),
    h("div", { className: "filters" },
      select("Status", STATUSES.map((s) => [s, s || "any status"]), filters.status, (value) => { filters.status = value; void load(); }),
      select("Task", [["", "any task"], ...tasks.map((t): [string, string] => [t.name, t.title.split(":")[0]])], filters.task, (value) => { filters.task = value; void load(); }),
      compare,
    ),
    count,
    h("table", { className: "data-table runs-table" },
      h("caption", { className: "visually-hidden" }, "Your runs, newest first"),
      h("thead", {}, h("tr", {}, ["Compare", "Run", "Task", "Status", "Key metric", "Started", "Device", "Who sees it"].map((t) => h("th", { scope: "col" }, t)))),
      body),
  );
  compare.addEventListener("click", (event) => {
    if (chosen.size < 2) event.preventDefault();
  });
  updateCompare();
  await load();
}

interface GalleryRun {
  id: number;
  task: string;
  status: string;
  created: string;
  owner: string;
  metric: { name: string; value: number } | null;
}

/** Public runs, newest first, as cards. */
export async function showGallery(root: HTMLElement): Promise<void> {
  const runs = await apiGet<GalleryRun[]>("gallery");
  root.replaceChildren(
    h("h1", {}, "Gallery"),
    h("p", { className: "hint" }, "Runs their owners made public. Open one to watch it again, or Fork it to train your own."),
    runs.length
      ? h("ul", { className: "gallery" }, runs.map((run) => h("li", { className: "panel gallery-card" },
          h("a", { href: `/runs/${run.id}` }, h("img", { src: `/runs/${run.id}/preview.png`, alt: `Loss curves of run ${run.id}`, width: 300, height: 158, loading: "lazy" })),
          h("h2", {}, h("a", { href: `/runs/${run.id}` }, `Run ${run.id}`), " ", h("span", { className: "hint" }, run.task)),
          h("p", {}, `${run.owner || "anonymous"} · ${run.status} · ${metricText(run.metric)}`),
          h("p", { className: "hint" }, when(run.created)))))
      : h("p", {}, "Nothing public yet. On a run's page, choose who sees it: Public puts it here."),
  );
}
