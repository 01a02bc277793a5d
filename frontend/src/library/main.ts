/** Entry of my runs (with filters), Compare (curves overlaid, settings and layers diffed) and the gallery. */
import "../shared/style.css";
import { byId, h } from "../shared/dom";
import { pageArgs } from "../shared/forms";
import { showCompare } from "./compare";
import { showGallery, showMyRuns } from "./lists";

async function main(): Promise<void> {
  const root = byId("library");
  const view = pageArgs().view;
  try {
    if (view === "compare") await showCompare(root, new URLSearchParams(location.search));
    else if (view === "gallery") await showGallery(root);
    else await showMyRuns(root);
    root.dataset.state = "ready";
  } catch (error) {
    root.dataset.state = "failed";
    root.replaceChildren(h("h1", {}, document.title.split(" — ")[0]), h("p", { role: "alert" }, error instanceof Error ? error.message : String(error)));
  }
}

void main();
