/** Samples written while training: a scrolling list, newest last, each with the step it came from. */
import { h } from "../shared/dom";

/** The samples panel. */
export class SamplesPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly empty: HTMLElement;

  constructor() {
    this.list = h("ol", { className: "sample-list", id: "sample-list", role: "log", "aria-label": "Samples written while training" });
    this.empty = h("p", { className: "hint" }, "Every so often while it trains, the network writes a few hundred characters; they appear here.");
    this.element = h("div", { className: "samples-box" }, this.empty, this.list);
  }

  /** Adds one sample under its step; keeps the newest in view. */
  add(text: string, step: number | null, temperature: number | null): void {
    this.empty.hidden = true;
    const body = h("pre", { className: "sample-text" });
    body.textContent = text;
    const heading = `Step ${step ?? "?"}` + (temperature !== null ? ` · temperature ${temperature}` : "");
    this.list.append(h("li", { className: "sample" }, h("p", { className: "sample-step" }, heading), body));
    this.list.scrollTop = this.list.scrollHeight;
  }

  /** Forgets every sample. */
  clear(): void {
    this.list.replaceChildren();
    this.empty.hidden = false;
  }
}
