/** The visitor's finished Style pictures: their recent succeeded runs, each with its result, its page and its PNG. */
import { apiGet } from "../shared/api";
import { h } from "../shared/dom";
import type { Run, RunEvent } from "../shared/events";

const SHOWN = 8;

/** The full-size result of a finished run: its URL and file name, from the run's last events. */
export async function finalPicture(run: Run): Promise<{ url: string; filename: string } | null> {
  const page = await apiGet<{ events: RunEvent[] }>(`runs/${run.id}/events?after=${Math.max(0, run.last_seq - 6)}`);
  const final = page.events.find((e) => e.type === "image" && e.data.name === "final");
  if (!final || typeof final.data.url !== "string") return null;
  return { url: final.data.url, filename: String(final.data.download ?? "style.png") };
}

/** Fills `box` with the visitor's latest finished pictures. */
export async function showGallery(box: HTMLElement): Promise<void> {
  const runs = (await apiGet<Run[]>("runs?limit=60")).filter((run) => run.task === "style" && run.status === "succeeded").slice(0, SHOWN);
  const pictures = await Promise.all(runs.map(async (run) => ({ run, picture: await finalPicture(run).catch(() => null) })));
  const items = pictures
    .filter((item) => item.picture !== null)
    .map(({ run, picture }) =>
      h(
        "figure",
        { className: "gallery-item" },
        h("a", { href: `/runs/${run.id}`, title: `Run ${run.id}: open its page` }, h("img", { src: picture!.url, alt: `Run ${run.id}: ${String(run.config.content)} in the style of ${String(run.config.style)}`, loading: "lazy" })),
        h("figcaption", {}, h("span", {}, `${String(run.config.content)} · ${String(run.config.style)}`), h("a", { href: picture!.url, download: picture!.filename }, "PNG")),
      ),
    );
  box.replaceChildren(...(items.length ? items : [h("p", { className: "hint" }, "Pictures you finish appear here.")]));
}
