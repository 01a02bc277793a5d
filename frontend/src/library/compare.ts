/** Compare: several runs' curves overlaid on shared axes, and their configurations diffed as structure. */
import { apiGet } from "../shared/api";
import { h } from "../shared/dom";
import type { Run, RunEvent } from "../shared/events";
import { LineChart, LOSS_AXIS, PERCENT_AXIS, type SeriesDef } from "../shared/linechart";
import { changeText, layerChanges, settingChanges, valueText, type Layer } from "./diff";

const RUN_COLOURS = ["#166eb5", "#e8831c", "#2a9d5b", "#a44fb8", "#c2410c", "#0e7490", "#6b7280", "#b91c1c"];

/** Every stored event of a run, page by page. */
async function allEvents(runId: number): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for (let after = 0; ; ) {
    const page = await apiGet<{ events: RunEvent[]; more: boolean }>(`runs/${runId}/events?after=${after}&limit=5000`);
    events.push(...page.events);
    if (!page.more || !page.events.length) return events;
    after = page.events[page.events.length - 1].seq;
  }
}

function chart(title: string, runs: Run[], field: string, percent: boolean, events: RunEvent[][]): HTMLElement | null {
  const series: SeriesDef[] = [];
  const index = new Map<string, number>();
  runs.forEach((run, r) => {
    for (const split of ["train", "test"]) {
      index.set(`${r}:${split}`, series.length);
      series.push({ label: `run ${run.id} ${split}`, color: RUN_COLOURS[r % RUN_COLOURS.length], dash: split === "test" ? [6, 4] : undefined });
    }
  });
  const has = events.some((list) => list.some((e) => e.type === "metric" && typeof e.data[field] === "number"));
  if (!has) return null;
  const box = h("div", { className: "chart compare-chart" });
  const section = h("section", { className: "panel" }, h("h2", { className: "chart-title" }, title, h("span", { className: "hint" }, "solid: train · dashed: test")), box);
  queueMicrotask(() => {
    const plot = new LineChart(box, { title: `${title} of runs ${runs.map((r) => r.id).join(", ")}`, series, xLabel: "epoch", height: 240, y: percent ? PERCENT_AXIS : LOSS_AXIS, legend: true });
    events.forEach((list, r) => {
      for (const event of list) {
        const value = event.data[field];
        const slot = index.get(`${r}:${String(event.data.split)}`);
        if (event.type !== "metric" || typeof value !== "number" || slot === undefined) continue;
        const x = typeof event.data.epoch === "number" ? event.data.epoch : (event.step ?? 0);
        plot.put(x, slot, percent ? value * 100 : value);
      }
    });
  });
  return section;
}

function settingsDiff(runs: Run[]): HTMLElement {
  const base = runs[0];
  const names = new Set<string>();
  for (const run of runs.slice(1)) for (const change of settingChanges(base.config, run.config)) if (change.kind === "setting") names.add(change.name);
  const same = Object.keys(base.config).filter((name) => !names.has(name));
  return h("section", { className: "panel", "aria-labelledby": "settings-diff-title" },
    h("h2", { id: "settings-diff-title" }, "Settings that differ"),
    names.size
      ? h("table", { className: "data-table diff-table" },
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Setting"), runs.map((run) => h("th", { scope: "col" }, `Run ${run.id}`)))),
          h("tbody", {}, [...names].map((name) => h("tr", {}, h("th", { scope: "row" }, name),
            runs.map((run, r) => h("td", { className: r > 0 && JSON.stringify(run.config[name]) !== JSON.stringify(base.config[name]) ? "changed" : null }, valueText(run.config[name])))))))
      : h("p", {}, "Every setting is the same."),
    same.length ? h("p", { className: "hint" }, `The same in every run: ${same.join(", ")}.`) : null,
  );
}

function layersDiff(runs: Run[]): HTMLElement {
  const base = runs[0];
  const layers = (run: Run) => ((run.net?.layers ?? []) as unknown as Layer[]);
  return h("section", { className: "panel", "aria-labelledby": "layers-diff-title" },
    h("h2", { id: "layers-diff-title" }, `Network, against run ${base.id}`),
    ...runs.slice(1).map((run) => {
      const changes = layerChanges(layers(base), layers(run));
      return h("div", { className: "layer-diff" },
        h("h3", {}, `Run ${run.id}`),
        changes.length
          ? h("ul", {}, changes.map((change) => h("li", { className: `diff-${change.kind}` }, changeText(change))))
          : h("p", { className: "hint" }, "The same layers."));
    }),
  );
}

/** Builds Compare for `?runs=1,2,3` (the runs the visitor may see). */
export async function showCompare(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const ids = (params.get("runs") ?? "").split(",").map(Number).filter((id) => Number.isInteger(id) && id > 0).slice(0, 8);
  if (ids.length < 2) {
    root.replaceChildren(h("h1", {}, "Compare runs"), h("p", {}, "Choose two or more runs on ", h("a", { href: "/my/runs" }, "My runs"), " to compare them."));
    return;
  }
  const runs = await Promise.all(ids.map((id) => apiGet<Run>(`runs/${id}`)));
  const events = await Promise.all(runs.map((run) => allEvents(run.id)));
  root.replaceChildren(
    h("h1", {}, "Compare runs"),
    h("ul", { className: "compare-key" }, runs.map((run, r) => h("li", {}, h("span", { className: "swatch", style: `background:${RUN_COLOURS[r % RUN_COLOURS.length]}` }), h("a", { href: `/runs/${run.id}` }, `Run ${run.id}`), ` ${run.task}, ${run.status}`))),
    h("div", { className: "chart-row" },
      chart("Loss", runs, "loss", false, events),
      chart("Accuracy (%)", runs, "accuracy", true, events)),
    h("div", { className: "chart-row" }, settingsDiff(runs), layersDiff(runs)),
  );
}
