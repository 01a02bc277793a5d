/** A run's words: the latest text of each name with its earlier ones folded away, and the log. */
import { append, h } from "../shared/dom";

/** The most earlier texts of one name kept on the page. */
export const MAX_HISTORY = 50;
/** The most log lines kept on the page (the oldest go first). */
export const MAX_LOG = 500;

function stepNote(step: number | null): HTMLElement | null {
  return step !== null ? h("span", { className: "hint" }, ` · step ${step}`) : null;
}

interface TextEntry {
  heading: HTMLElement;
  latest: HTMLElement;
  summary: HTMLElement;
  history: HTMLElement;
  details: HTMLElement;
  step: number | null;
  count: number;
}

/** `text` events: the latest of each name in full, the earlier ones (newest first) behind a disclosure. */
export class TextShelf {
  private readonly container: HTMLElement;
  private readonly entries = new Map<string, TextEntry>();

  constructor(container: HTMLElement) {
    this.container = container;
  }

  /** Shows a text as the latest of its name; the one it replaces joins the history. */
  add(name: string, text: string, step: number | null): void {
    let entry = this.entries.get(name);
    if (!entry) {
      const history = h("ol", { className: "text-history" });
      const summary = h("summary", {});
      const details = h("details", { hidden: true }, summary, history);
      entry = { heading: h("h3", {}), latest: h("pre", { className: "run-text-latest" }), summary, history, details, step, count: 0 };
      this.container.append(h("article", { className: "run-text", "data-name": name }, entry.heading, entry.latest, details));
      this.entries.set(name, entry);
    } else {
      const earlier = h("li", {}, h("p", { className: "hint" }, entry.step !== null ? `step ${entry.step}` : "earlier"), h("pre", {}, entry.latest.textContent ?? ""));
      entry.history.prepend(earlier);
      while (entry.history.childElementCount > MAX_HISTORY) entry.history.lastElementChild?.remove();
      entry.count += 1;
      const shown = entry.count > MAX_HISTORY ? `, the latest ${MAX_HISTORY} shown` : "";
      entry.summary.textContent = `Earlier ${name} texts (${entry.count}${shown})`;
      entry.details.hidden = false;
    }
    entry.step = step;
    entry.heading.replaceChildren();
    append(entry.heading, [name, stepNote(step)]);
    entry.latest.textContent = text;
  }

  /** How many names the shelf shows. */
  get size(): number {
    return this.entries.size;
  }
}

/** `log` events as lines, oldest first, each with its level. */
export class LogList {
  readonly element: HTMLOListElement;

  constructor(container: HTMLElement) {
    this.element = h("ol", { className: "run-log" });
    container.append(this.element);
  }

  add(level: string, message: string, step: number | null): void {
    const line = h("li", { className: `log-${level}` }, level !== "info" ? h("strong", {}, `${level}: `) : null, message, stepNote(step));
    this.element.append(line);
    while (this.element.childElementCount > MAX_LOG) this.element.firstElementChild?.remove();
  }

  /** How many lines the log shows. */
  get size(): number {
    return this.element.childElementCount;
  }
}
