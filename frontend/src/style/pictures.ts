/**
 * Choosing a picture: the built-in ones and the visitor's uploads as thumbnails in a radio group,
 * and a button to upload another (`POST /api/uploads`, kind `image`). An upload's thumbnail is made
 * in the browser when it is chosen and kept in the browser's storage, so it shows again later.
 */
import { ApiError, csrfToken } from "../shared/api";
import { h, uniqueId } from "../shared/dom";

/** One of the visitor's uploads, as `GET /api/uploads` lists it. */
export interface UploadInfo {
  id: number;
  kind: string;
  name: string;
  summary: Record<string, unknown>;
}

const THUMBNAIL_KEY = "layerlab-style-thumbnail-";
const THUMBNAIL_SIDE = 96;

/** A small data URL of a picture file, drawn in the browser (null if it cannot be decoded here). */
async function thumbnailOf(file: File): Promise<string | null> {
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    const scale = THUMBNAIL_SIDE / Math.min(bitmap.width, bitmap.height);
    const canvas = h("canvas", { width: THUMBNAIL_SIDE, height: THUMBNAIL_SIDE });
    const context = canvas.getContext("2d");
    if (!context) return null;
    const width = bitmap.width * scale;
    const height = bitmap.height * scale;
    context.drawImage(bitmap, (THUMBNAIL_SIDE - width) / 2, (THUMBNAIL_SIDE - height) / 2, width, height);
    return canvas.toDataURL("image/webp", 0.8);
  } catch {
    return null;
  }
}

/** Sends a picture as an upload of kind `image`; its description, or an ApiError with the server's sentence. */
export async function uploadPicture(file: File): Promise<UploadInfo> {
  const body = new FormData();
  body.append("kind", "image");
  body.append("file", file);
  let response: Response;
  try {
    response = await fetch("/api/uploads", { method: "POST", body, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" } });
  } catch {
    throw new ApiError(0, [{ path: "", message: "Could not reach the server; check the connection and try again." }]);
  }
  const text = await response.text();
  if (!response.ok) {
    let message = `The server answered ${response.status}.`;
    try {
      message = (JSON.parse(text) as { errors: { message: string }[] }).errors[0].message;
    } catch {
      /* keep the status */
    }
    throw new ApiError(response.status, [{ path: "file", message }]);
  }
  return JSON.parse(text) as UploadInfo;
}

/** The words for an upload: "Your picture (640 × 480)". */
function uploadTitle(upload: UploadInfo): string {
  const { width, height } = upload.summary as { width?: number; height?: number };
  return width && height ? `${upload.name} (${width} × ${height})` : upload.name;
}

/** A radio group of pictures for one configuration field (content, style, second style). */
export class PicturePicker {
  /** The fieldset holding the radios and the upload button. */
  readonly element: HTMLFieldSetElement;
  private readonly list: HTMLElement;
  private readonly radios = new Map<string, HTMLInputElement>();
  private readonly group = uniqueId("picture");
  private readonly status: HTMLElement;
  private readonly onPick: (value: string) => void;
  private readonly onUploaded: (upload: UploadInfo) => void;
  private value = "";

  constructor(options: {
    /** The configuration field the picker sets (its fieldset is marked with it, for locks). */
    field: string;
    legend: string;
    builtins: Record<string, { title: string; description: string }>;
    thumbnails: Record<string, string>;
    none?: string;
    onPick: (value: string) => void;
    onUploaded: (upload: UploadInfo) => void;
  }) {
    this.onPick = options.onPick;
    this.onUploaded = options.onUploaded;
    this.list = h("div", { className: "picture-choices" });
    this.status = h("p", { className: "field-error", role: "alert" });
    const input = h("input", { type: "file", accept: "image/png,image/jpeg,image/webp", className: "visually-hidden", id: uniqueId("upload") });
    input.addEventListener("change", () => {
      const file = input.files?.[0];
      input.value = "";
      if (file) void this.upload(file);
    });
    const button = h("label", { for: input.id, className: "button small upload-button" }, "Upload a picture…");
    input.addEventListener("focus", () => button.classList.add("focused"));
    input.addEventListener("blur", () => button.classList.remove("focused"));
    this.element = h("fieldset", { className: "pictures", "data-field": options.field }, h("legend", {}, options.legend), this.list, h("div", { className: "upload-row" }, input, button), this.status);
    if (options.none) this.add("", options.none, null, "No second style");
    for (const [name, about] of Object.entries(options.builtins)) this.add(name, about.title, options.thumbnails[name] ?? null, about.description);
  }

  private add(value: string, title: string, thumbnail: string | null, description: string): void {
    if (this.radios.has(value)) return;
    const radio = h("input", { type: "radio", name: this.group, value, className: "radio-hidden" });
    radio.addEventListener("change", () => radio.checked && this.onPick(value));
    const picture = thumbnail
      ? h("img", { src: thumbnail, alt: "", width: 56, height: 56 })
      : h("span", { className: "picture-placeholder", "aria-hidden": "true" }, value ? "↑" : "–");
    this.radios.set(value, radio);
    this.list.append(h("label", { className: "picture-choice", title: description, "data-picture": value || "none" }, radio, picture, h("span", {}, title)));
    if (value === this.value) radio.checked = true;
  }

  /** Adds the visitor's uploads as choices. */
  addUploads(uploads: UploadInfo[]): void {
    for (const upload of uploads) {
      if (upload.kind !== "image") continue;
      this.add(`upload:${upload.id}`, "Yours", localStorage.getItem(THUMBNAIL_KEY + upload.id), uploadTitle(upload));
    }
  }

  /** Checks the radio of a picture (adding a plain choice for an upload not listed yet). */
  setValue(value: unknown): void {
    this.value = value ? String(value) : "";
    if (this.value && !this.radios.has(this.value)) this.add(this.value, "Yours", null, this.value);
    const radio = this.radios.get(this.value);
    if (radio) radio.checked = true;
  }

  private async upload(file: File): Promise<void> {
    this.status.textContent = "";
    this.element.setAttribute("aria-busy", "true");
    try {
      const upload = await uploadPicture(file);
      const thumbnail = await thumbnailOf(file);
      if (thumbnail) {
        try {
          localStorage.setItem(THUMBNAIL_KEY + upload.id, thumbnail);
        } catch {
          /* storage full or off: the thumbnail shows this time only */
        }
      }
      this.add(`upload:${upload.id}`, "Yours", thumbnail, uploadTitle(upload));
      this.onUploaded(upload);
      this.setValue(`upload:${upload.id}`);
      this.onPick(`upload:${upload.id}`);
    } catch (error) {
      this.status.textContent = error instanceof ApiError ? error.errors.map((e) => e.message).join(" ") : String(error);
    } finally {
      this.element.removeAttribute("aria-busy");
    }
  }
}
