/**
 * A run's pictures, the latest of each name: an `image` event with a `url` as an `<img>` (with
 * the page's share token, so that whoever may watch the run may fetch it), and pictures sent as
 * numbers (the Basics planes: `values`, or a `units` list of them) decoded and coloured on a canvas.
 */
import { h } from "../shared/dom";
import { numberOf } from "../shared/events";
import { decodePlanes, planesToRgba } from "../shared/planes";

/** Pictures narrower than this are shown enlarged by a whole factor, their pixels kept sharp (a 28×28 digit, 5×5 filters). */
export const MIN_SHOWN_WIDTH = 160;

/** The whole factor that shows a picture `width` pixels wide at least MIN_SHOWN_WIDTH wide. */
export function enlargement(width: number): number {
  return width > 0 && width < MIN_SHOWN_WIDTH ? Math.ceil(MIN_SHOWN_WIDTH / width) : 1;
}

/** The address of a picture served as a file, carrying the share token where the page has one. */
export function pictureUrl(url: string, token: string): string {
  if (!token || /^(data|blob):/.test(url)) return url;
  return `${url}${url.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}`;
}

/** Draws planes of unsigned bytes on a canvas of their own size, coloured as the Basics surface is. */
export function planesCanvas(values: string, width: number, height: number, channels: number, lo: number, hi: number, label: string): HTMLCanvasElement {
  const canvas = h("canvas", { width, height, role: "img", "aria-label": label, className: "planes" });
  const planes = decodePlanes(values, width, height, channels, lo, hi);
  const context = canvas.getContext("2d");
  if (context) {
    const image = context.createImageData(width, height);
    image.data.set(planesToRgba(planes, false, Math.max(Math.abs(lo), Math.abs(hi)) || 1));
    context.putImageData(image, 0, 0);
  }
  return canvas;
}

/** The picture an `image` event describes, or null when it carries neither a URL nor planes. */
export function pictureElement(data: Record<string, unknown>, token: string): HTMLElement | null {
  const name = String(data.name ?? "picture");
  const label = typeof data.caption === "string" ? data.caption : name;
  const width = numberOf(data.width) ?? 0;
  const height = numberOf(data.height) ?? 0;
  if (typeof data.url === "string") {
    const image = h("img", { src: pictureUrl(data.url, token), alt: label, width: width || null, height: height || null, decoding: "async" });
    image.addEventListener("load", () => {
      const factor = enlargement(image.naturalWidth);
      if (factor === 1) return;
      image.style.width = `${image.naturalWidth * factor}px`;
      image.classList.add("enlarged");
    });
    return image;
  }
  if (typeof data.values === "string" && width > 0 && height > 0) {
    return planesCanvas(data.values, width, height, numberOf(data.channels) ?? 1, numberOf(data.min) ?? 0, numberOf(data.max) ?? 1, label);
  }
  if (Array.isArray(data.units) && width > 0 && height > 0) {
    const units = data.units as Record<string, unknown>[];
    return h(
      "div",
      { className: "plane-grid", role: "group", "aria-label": label },
      units.map((unit) => {
        const title = unit.layer !== undefined ? `layer ${String(unit.layer)}, unit ${String(unit.unit ?? "")}` : String(unit.name ?? "");
        return planesCanvas(String(unit.values ?? ""), width, height, 1, numberOf(unit.min) ?? 0, numberOf(unit.max) ?? 1, title);
      }),
    );
  }
  return null;
}

/** The latest picture of each name, in the order names first appear. */
export class PictureShelf {
  private readonly container: HTMLElement;
  private readonly token: string;
  private readonly figures = new Map<string, HTMLElement>();

  constructor(container: HTMLElement, token: string) {
    this.container = container;
    this.token = token;
  }

  /** Shows an `image` event's picture in place of the previous one of its name. */
  add(data: Record<string, unknown>, step: number | null): void {
    let picture: HTMLElement | null;
    try {
      picture = pictureElement(data, this.token);
    } catch (error) {
      picture = h("p", { className: "hint" }, `This picture could not be decoded: ${String(error)}`);
    }
    if (!picture) return;
    const name = String(data.name ?? "picture");
    const caption = h("figcaption", {}, name, step !== null ? h("span", { className: "hint" }, ` · step ${step}`) : null);
    const figure = h("figure", { className: "run-picture", "data-name": name }, picture, caption);
    const shown = this.figures.get(name);
    if (shown) shown.replaceWith(figure);
    else this.container.append(figure);
    this.figures.set(name, figure);
  }

  /** How many pictures the shelf shows. */
  get size(): number {
    return this.figures.size;
  }
}
