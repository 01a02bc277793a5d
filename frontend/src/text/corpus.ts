/**
 * The corpus panel: built-in corpora, the catalogue's (offered where they are on the server, else
 * saying how to get them), the visitor's text uploads and a file picker to add one; then the
 * chosen text's statistics and its first lines. Uploaded text is data: it is only ever set as
 * textContent, never parsed as markup.
 */
import { apiUpload, ApiError, type Upload } from "../shared/api";
import { h, uniqueId } from "../shared/dom";
import { charCount, charGlyph, charName } from "./chars";

/** A named corpus as the task's catalogue lists it. */
export interface CorpusInfo {
  title: string;
  description: string;
  built_in: boolean;
  dataset: string;
}

/** A catalogue entry's availability (`GET /api/datasets`). */
export interface DatasetInfo {
  name: string;
  present: boolean;
  how: string;
}

/** What the preview of a corpus answers (`POST /api/tasks/text/preview`). */
export interface CorpusPreview {
  corpus: string;
  statistics: {
    characters: number;
    vocabulary: number;
    lines: number;
    most_frequent: [string, number][];
    entropy_nats: number;
    entropy_bits: number;
  };
  preview: string;
  vocabulary: string;
  train_characters: number;
  val_characters: number;
}

/** The corpus picker, the upload field, the statistics and the preview. */
export class CorpusPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly stats: HTMLElement;
  private readonly sample: HTMLElement;
  private readonly uploadStatus: HTMLElement;
  private readonly name = uniqueId("corpus");
  private readonly corpora: Record<string, CorpusInfo>;
  private readonly datasets: Map<string, DatasetInfo>;
  private uploads: Upload[] = [];
  private value = "";
  private readonly onPick: (corpus: string) => void;

  constructor(corpora: Record<string, CorpusInfo>, datasets: DatasetInfo[], onPick: (corpus: string) => void) {
    this.corpora = corpora;
    this.datasets = new Map(datasets.map((d) => [d.name, d]));
    this.onPick = onPick;
    this.list = h("div", { className: "corpus-list" });
    const file = h("input", { type: "file", id: "corpus-file", accept: ".txt,text/plain" });
    file.addEventListener("change", () => {
      const chosen = file.files?.[0];
      if (chosen) void this.upload(chosen).finally(() => (file.value = ""));
    });
    this.uploadStatus = h("p", { className: "hint", id: "upload-status", role: "status" });
    this.stats = h("dl", { className: "corpus-stats", id: "corpus-stats" });
    this.sample = h("pre", { className: "corpus-preview", id: "corpus-preview", tabindex: 0, "aria-label": "The corpus's first characters" });
    this.element = h(
      "div",
      {},
      h("fieldset", { className: "corpora" }, h("legend", {}, "Text to learn from"), this.list),
      h("div", { className: "field upload-field" }, h("label", { for: file.id }, "Upload your own text (UTF-8, .txt)"), file, this.uploadStatus),
      h("h3", { className: "subtitle" }, "Statistics"),
      this.stats,
      h("h3", { className: "subtitle" }, "Beginning"),
      this.sample,
    );
    this.render();
  }

  /** The visitor's uploads of kind text, offered beside the named corpora. */
  setUploads(uploads: Upload[]): void {
    this.uploads = uploads.filter((u) => u.kind === "text");
    this.render();
  }

  /** Marks the chosen corpus. */
  setValue(corpus: string): void {
    this.value = corpus;
    for (const input of this.list.querySelectorAll<HTMLInputElement>("input[type=radio]")) input.checked = input.value === corpus;
  }

  private render(): void {
    const rows: HTMLElement[] = [];
    for (const [name, info] of Object.entries(this.corpora)) {
      const dataset = info.dataset ? this.datasets.get(info.dataset) : undefined;
      const missing = Boolean(info.dataset) && !dataset?.present;
      const how = dataset?.how ?? "fetch it first";
      rows.push(this.option(name, info.title, missing ? `Not on this server: ${how.split(", or ")[0]}.` : info.description, missing, missing ? how : ""));
    }
    for (const upload of this.uploads) {
      const characters = Number(upload.summary.characters ?? 0);
      rows.push(this.option(`upload:${upload.id}`, upload.name, `Your upload: ${charCount(characters)}, ${String(upload.summary.vocabulary ?? "?")} different`, false));
    }
    this.list.replaceChildren(...rows);
    this.setValue(this.value);
  }

  private option(value: string, title: string, description: string, disabled: boolean, more = ""): HTMLElement {
    const id = uniqueId("corpus-option");
    const input = h("input", { type: "radio", name: this.name, id, value, disabled, "aria-describedby": `${id}-about` });
    input.addEventListener("change", () => input.checked && this.onPick(value));
    const about = h("span", { className: "hint", id: `${id}-about`, title: more || null });
    about.textContent = description;
    const label = h("label", { for: id });
    label.textContent = title;
    return h("div", { className: `corpus-option${disabled ? " missing" : ""}`, "data-corpus": value }, input, h("div", {}, label, about));
  }

  private async upload(file: File): Promise<void> {
    this.uploadStatus.textContent = `Uploading ${file.name}…`;
    try {
      const upload = await apiUpload("text", file, file.name);
      this.uploads.push(upload);
      this.render();
      this.uploadStatus.textContent = `Uploaded ${file.name}.`;
      this.onPick(`upload:${upload.id}`);
    } catch (error) {
      this.uploadStatus.textContent = `Not uploaded: ${error instanceof ApiError ? error.message : String(error)}`;
    }
  }

  /** Shows a corpus's statistics and beginning, or why it cannot be read. */
  showPreview(preview: CorpusPreview | null, problem = ""): void {
    if (!preview) {
      this.stats.replaceChildren();
      this.sample.textContent = problem;
      return;
    }
    const s = preview.statistics;
    const item = (term: string, value: string | HTMLElement) => [h("dt", {}, term), h("dd", {}, value)];
    const frequent = h("ul", { className: "chips frequent" }, s.most_frequent.slice(0, 10).map(([char, share]) => {
      const chip = h("li", { title: `${charName(char)}: ${(share * 100).toFixed(1)}%` });
      chip.textContent = `${charGlyph(char)} ${(share * 100).toFixed(1)}%`;
      return chip;
    }));
    this.stats.replaceChildren(
      ...item("Characters", `${s.characters.toLocaleString("en-US")} (${preview.train_characters.toLocaleString("en-US")} to train, the last ${preview.val_characters.toLocaleString("en-US")} to validate)`),
      ...item("Vocabulary", `${s.vocabulary} different characters`),
      ...item("Unigram entropy", `${s.entropy_bits.toFixed(3)} bits (${s.entropy_nats.toFixed(3)} nats) per character: the loss to beat`),
      ...item("Most frequent", frequent),
    );
    this.sample.textContent = preview.preview;
  }
}
