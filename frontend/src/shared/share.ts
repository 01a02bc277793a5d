/**
 * "Share" for any task's page: stores the page's configuration under a short link
 * (`POST /api/configs`) and shows the link to copy. The same configuration always gives
 * the same link, and `/s/<slug>` opens the task's page with it loaded.
 */
import { ApiError, apiPost } from "./api";
import { h, uniqueId } from "./dom";

/** The answer of `POST /api/configs`. */
export interface SharedLink {
  slug: string;
  url: string;
}

/** Stores a configuration; answers its slug and address. */
export function shareConfig(task: string, config: Record<string, unknown>): Promise<SharedLink> {
  return apiPost<SharedLink>("configs", { task, config });
}

/** A "Share" button that makes the link, and the field that shows it with "Copy". */
export function shareControl(task: string, config: () => Record<string, unknown>): HTMLElement {
  const id = uniqueId("share-config");
  const button = h("button", { type: "button", className: "share-button", "aria-controls": id }, "Share");
  const field = h("input", { id: `${id}-link`, type: "text", readonly: true, size: 34, "aria-label": "Link to these settings" });
  const copy = h("button", { type: "button", className: "small" }, "Copy");
  const message = h("span", { className: "hint", role: "status" });
  const box = h("div", { className: "share-box", id, hidden: true }, field, copy, message);
  button.addEventListener("click", async () => {
    button.disabled = true;
    message.textContent = "";
    try {
      const link = await shareConfig(task, config());
      field.value = `${window.location.origin}${link.url}`;
      box.hidden = false;
      field.select();
      message.textContent = "Anyone with this link opens these settings.";
    } catch (error) {
      box.hidden = false;
      message.textContent = error instanceof ApiError ? error.message : String(error);
    } finally {
      button.disabled = false;
    }
  });
  copy.addEventListener("click", () => {
    field.select();
    void navigator.clipboard?.writeText(field.value).then(() => (message.textContent = "Copied."), () => undefined);
  });
  return h("div", { className: "share-control" }, button, box);
}
