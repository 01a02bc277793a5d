/** The owner's choice of who sees a run (`POST /api/runs/{id}/visibility`), for any run page. */
import { ApiError, apiPost } from "./api";
import { h, uniqueId } from "./dom";
import type { Run, Visibility } from "./events";

/** Each visibility in words. */
export const VISIBILITY_WORDS: Record<Visibility, string> = {
  private: "Private: only you",
  course: "Course: your courses' members and teachers",
  link: "Link: anyone with the share link",
  public: "Public: everyone, listed in the gallery",
};

/** A labelled select that changes the run's visibility and says so. */
export function visibilityControl(run: Run, onChange?: (run: Run) => void): HTMLElement {
  const id = uniqueId("visibility");
  const select = h("select", { id }, (Object.keys(VISIBILITY_WORDS) as Visibility[]).map((v) => h("option", { value: v, selected: run.visibility === v }, VISIBILITY_WORDS[v])));
  const message = h("span", { className: "hint", role: "status" });
  select.addEventListener("change", async () => {
    select.disabled = true;
    try {
      const changed = await apiPost<Run>(`runs/${run.id}/visibility`, { visibility: select.value });
      message.textContent = "Saved.";
      onChange?.(changed);
    } catch (error) {
      message.textContent = error instanceof ApiError ? error.message : String(error);
    } finally {
      select.disabled = false;
    }
  });
  return h("div", { className: "field visibility" }, h("label", { for: id }, "Who sees this run"), h("div", { className: "share-row" }, select, message));
}
