/** The CNN page: wires state, controls, the builder, the trainer, the run's panels and the inspector together. */
import { apiGet, apiPost, csrfToken, errorWords, type ApiProblem } from "../shared/api";
import { lockAreas } from "../shared/assignmentbar";
import { LayerStackBuilder } from "../shared/builder";
import { byId, debounce, formatCount, h } from "../shared/dom";
import type { Run, RunEvent } from "../shared/events";
import { fieldControl, showFieldErrors, type FieldControl, type FieldOptions } from "../shared/fields";
import { runJob } from "../shared/jobs";
import { lessonsSection } from "../shared/lessons";
import { followAddress, withLocks, type Assignment } from "../shared/pagecontext";
import { inspectNet, type InspectResult, type NetSpec } from "../shared/netspec";
import type { LayerTypeSpec } from "../shared/palette";
import type { Preset } from "../shared/presets";
import { choiceName, settingName } from "../shared/settingtext";
import { showPageErrors, showRunLink, showTrainerState, wireRunButtons } from "../shared/runbar";
import { Trainer } from "../shared/trainer";
import { Inspector } from "./inspector";
import { buildSkeleton } from "./layout";
import { memoryEstimate, shapesTable, volumesPicture } from "./netinfo";
import { CnnRunView } from "./results";
import { fitNet, LIVE_FIELDS, type CnnState, type DatasetInfo } from "./state";

const TASK = "cnn";

/** The layer categories a ConvNet is built from (no recurrent layers or embeddings here). */
const CNN_CATEGORIES = new Set(["conv", "pool", "norm", "dense", "reshape", "activation", "block"]);

/** Where each field goes; the others land in "More settings". */
const PLACEMENT: Record<string, FieldOptions & { slot: "hyper" | "data" | "more" }> = {
  learning_rate: { slot: "hyper" },
  optimizer: { slot: "hyper" },
  batch_size: { slot: "hyper" },
  epochs: { slot: "hyper" },
  train_examples: { slot: "data", widget: "optional-number", label: "Training pictures (empty: all)" },
  test_examples: { slot: "data", widget: "optional-number", label: "Test pictures (empty: all)" },
  image_size: { slot: "data", label: "Uploaded pictures' side (pixels)" },
};
const DRAWN_ELSEWHERE = new Set(["dataset", "net", "augment"]);

/** A dataset the visitor may choose: a named set or one of their uploads. */
interface Choice {
  value: string;
  label: string;
  present: boolean;
  shape: number[];
  classes: string[];
  pictures: number;
  how: string;
}

interface UploadInfo {
  id: number;
  kind: string;
  name: string;
  summary: { classes?: { name: string; images: number }[]; images?: number };
}

interface Availability {
  name: string;
  present: boolean;
  how: string;
}

/** The wired CNN page. */
export class CnnPage {
  private readonly state: CnnState;
  private readonly controls = new Map<string, FieldControl>();
  private readonly augmentBoxes = new Map<string, HTMLInputElement>();
  private readonly builder: LayerStackBuilder;
  /** The assignment the page works on: its locked fields keep the assignment's values. */
  private readonly assignment: Assignment | null;
  private readonly view: CnnRunView;
  private readonly trainer: Trainer;
  private readonly inspector: Inspector;
  private readonly datasetSelect: HTMLSelectElement;
  private readonly compareSelect: HTMLSelectElement;
  private choices: Choice[] = [];
  private inspected: InspectResult | null = null;
  private previewCount = 0;
  private readonly previewSoon = debounce(() => void this.loadPreview(), 200);

  constructor(root: HTMLElement, state: CnnState, palette: LayerTypeSpec[], present: Availability[], uploads: UploadInfo[], assignment: Assignment | null = null) {
    this.state = state;
    this.assignment = assignment;
    buildSkeleton(root);
    this.buildFields();
    this.datasetSelect = h("select", { id: "dataset-select" });
    this.datasetSelect.addEventListener("change", () => this.pickDataset(this.datasetSelect.value));
    byId("dataset-slot").append(h("div", { className: "field", "data-field": "dataset" }, h("label", { for: "dataset-select" }, "Dataset"), this.datasetSelect));
    this.setChoices(present, uploads);
    this.buildAugment();
    this.buildUpload();

    this.builder = new LayerStackBuilder(byId("builder-slot"), {
      palette: palette.filter((type) => CNN_CATEGORIES.has(type.category)),
      inspect: inspectNet,
      label: "The network's layers",
      onChange: (net) => this.change("net", net),
      onInspected: (result) => this.showInspection(result),
    });
    this.builder.setNet(state.net);
    byId("preset-slot").append(this.presetPicker());
    if (assignment) lockAreas(assignment.locked, { net: ["builder-slot", "preset-slot"], dataset: "upload-slot" });

    this.compareSelect = h("select", { id: "compare-select" }, h("option", { value: "" }, "none"));
    this.compareSelect.addEventListener("change", () => this.change("compare", this.compareSelect.value ? Number(this.compareSelect.value) : null));
    byId("compare-slot").append(h("div", { className: "field compare-field" }, h("label", { for: "compare-select" }, "Overlay the curves of another run"), this.compareSelect));

    this.view = new CnnRunView({
      status: byId("status-line"),
      note: byId("run-note"),
      curves: byId("curves-slot"),
      confusion: byId("confusion-slot"),
      mistakes: byId("mistakes-slot"),
      filters: byId("filters-slot"),
      onCell: (trueClass, predicted, labels) => void this.showCell(trueClass, predicted, labels),
    });
    this.trainer = new Trainer(TASK, {
      config: () => state.config(),
      onRun: (run) => this.startedRun(run),
      onEvents: (events) => this.received(events),
      onState: showTrainerState,
      onErrors: (problems) => this.showErrors(problems),
    });

    this.inspector = new Inspector({
      run: () => this.trainer.run,
      classes: () => this.currentChoice()?.classes ?? [],
      testPictures: () => Math.min(this.currentChoice()?.pictures ?? 1000, Number(this.state.values.test_examples ?? 1000) || 1000),
    });
    byId("lessons-slot").append(lessonsSection(state.task.catalogue?.lessons ?? [], (preset) => this.applyPreset(preset)));
    byId("export-button").addEventListener("click", () => void this.exportScript());
    wireRunButtons(this.trainer);
    followAddress(this.state, this.assignment, () => this.addressRead());
    this.refresh();
    showTrainerState("idle");
    void this.loadPreview();
    void this.loadRuns();
  }

  // --- controls ------------------------------------------------------------------------

  private buildFields(): void {
    const slots = { hyper: byId("hyper-slot"), data: byId("data-slot"), more: byId("more-slot") };
    for (const field of this.state.fields.values()) {
      if (DRAWN_ELSEWHERE.has(field.name)) continue;
      const placement = PLACEMENT[field.name] ?? { slot: "more" as const };
      const control = fieldControl(field, (value) => this.change(field.name, value), { choiceLabel: choiceName, label: settingName(field.name), ...placement });
      this.controls.set(field.name, control);
      slots[placement.slot].append(control.element);
    }
  }

  private buildAugment(): void {
    const words = (this.state.task.catalogue as { augmentations?: Record<string, string> } | undefined)?.augmentations ?? {};
    const boxes = Object.entries(words).map(([name, description]) => {
      const input = h("input", { type: "checkbox", id: `augment-${name}` });
      input.addEventListener("change", () => {
        const chosen = Object.keys(words).filter((key) => this.augmentBoxes.get(key)?.checked);
        this.change("augment", chosen);
      });
      this.augmentBoxes.set(name, input);
      return h("div", { className: "field field-checkbox", title: description }, input, h("label", { for: input.id }, name.charAt(0).toUpperCase() + name.slice(1)));
    });
    byId("data-slot").prepend(h("fieldset", { className: "augment", "data-field": "augment" }, h("legend", {}, "Augmentation of training batches"), boxes));
  }

  private setChoices(present: Availability[], uploads: UploadInfo[]): void {
    const presence = new Map(present.map((p) => [p.name, p]));
    const named = Object.entries(this.state.datasets()).map(([name, info]: [string, DatasetInfo]) => ({
      value: name,
      label: info.title,
      present: name === "glyphs" || Boolean(presence.get(name)?.present),
      shape: info.shape,
      classes: info.classes,
      pictures: info.train + info.test,
      how: presence.get(name)?.how || info.how,
    }));
    const own = uploads
      .filter((u) => u.kind === "images")
      .map((u) => ({
        value: `upload:${u.id}`,
        label: `Yours: ${u.name}`,
        present: true,
        shape: [3, this.state.values.image_size as number, this.state.values.image_size as number],
        classes: (u.summary.classes ?? []).map((c) => c.name),
        pictures: u.summary.images ?? 0,
        how: "",
      }));
    this.choices = [...named, ...own];
    this.datasetSelect.replaceChildren(
      ...this.choices.map((choice) => h("option", { value: choice.value, disabled: !choice.present }, choice.present ? choice.label : `${choice.label} (not on this server)`)),
    );
  }

  private buildUpload(): void {
    const input = h("input", { type: "file", id: "upload-file", accept: ".zip,application/zip" });
    const status = h("p", { className: "hint", role: "status" });
    const send = h("button", { type: "button", className: "small" }, "Upload");
    send.addEventListener("click", async () => {
      const file = input.files?.[0];
      if (!file) return void (status.textContent = "Choose a .zip first.");
      status.textContent = "Checking the pictures…";
      const body = new FormData();
      body.append("kind", "images");
      body.append("file", file);
      const response = await fetch("/api/uploads", { method: "POST", body, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() } });
      const answer = (await response.json().catch(() => ({}))) as { id?: number; errors?: ApiProblem[] };
      if (!response.ok || answer.id === undefined) {
        status.textContent = answer.errors?.map((e) => e.message).join(" ") || `The upload was refused (${response.status}).`;
        return;
      }
      status.textContent = "Uploaded.";
      await this.reloadChoices();
      this.pickDataset(`upload:${answer.id}`);
    });
    byId("upload-slot").append(
      h("p", { className: "hint" }, "A .zip with one folder of PNG, JPEG or WebP pictures per class (cats/1.png, dogs/1.png…); at least two classes of five pictures. They are fitted to the side chosen above; a fifth is kept to test."),
      h("div", { className: "field" }, h("label", { for: "upload-file" }, "Zip of class folders"), input),
      send,
      status,
    );
  }

  private async reloadChoices(): Promise<void> {
    const [present, uploads] = await Promise.all([apiGet<Availability[]>("datasets"), apiGet<UploadInfo[]>("uploads")]);
    this.setChoices(present, uploads);
    this.refresh();
  }

  private presetPicker(): HTMLElement {
    const presets = Object.values(this.state.presets());
    const select = h("select", { id: "preset-select" }, h("option", { value: "" }, "choose…"), presets.map((p) => h("option", { value: p.id }, `${p.label} (${formatCount(p.params)} parameters)`)));
    const about = h("p", { className: "hint preset-about" });
    select.addEventListener("change", () => {
      const preset = this.state.presets()[select.value];
      if (!preset) return;
      about.textContent = preset.description;
      this.applyPreset({ id: preset.id, label: preset.label, config: preset.config });
      select.value = "";
    });
    return h("div", { className: "field preset-field" }, h("label", { for: "preset-select" }, "Start from a classic network"), select, about);
  }

  // --- state ---------------------------------------------------------------------------

  /** Applies one control's change. */
  change(name: string, value: unknown): void {
    if (this.isLocked(name)) return;
    this.state.values[name] = value as never;
    if (name === "learning_rate" && typeof value === "number") void this.trainer.setControls({ learning_rate: value });
    if (name === "compare") void this.loadOverlay();
    if (name === "dataset") void this.loadRuns();
    if (!LIVE_FIELDS.includes(name)) void this.endRun();
    if (["dataset", "augment", "seed", "image_size", "train_examples"].includes(name)) this.previewSoon();
    this.refresh();
  }

  private isLocked(name: string): boolean {
    return this.assignment?.locked.includes(name) ?? false;
  }

  private currentChoice(): Choice | undefined {
    return this.choices.find((c) => c.value === this.state.values.dataset);
  }

  private pickDataset(value: string): void {
    if (this.isLocked("dataset")) return;
    const choice = this.choices.find((c) => c.value === value);
    if (!choice) return;
    this.state.values.dataset = value;
    const shape = value.startsWith("upload:") ? [3, Number(this.state.values.image_size), Number(this.state.values.image_size)] : choice.shape;
    const net = fitNet(this.state.net, shape, choice.classes.length || null);
    this.state.values.net = net as never;
    this.builder.setNet(net);
    this.change("dataset", value);
  }

  private applyPreset(preset: Preset): void {
    const choice = this.currentChoice();
    const values = { ...this.state.defaults, ...structuredClone(preset.config) } as Record<string, unknown>;
    for (const keep of ["dataset", "image_size", "train_examples", "test_examples", "augment", "epochs", "batch_size", "report_every", "misclassified"]) values[keep] = this.state.values[keep];
    if (choice) {
      const shape = choice.value.startsWith("upload:") ? [3, Number(values.image_size), Number(values.image_size)] : choice.shape;
      values.net = fitNet(values.net as NetSpec, shape, choice.classes.length || null);
    }
    this.state.values = withLocks({ ...values, compare: this.state.values.compare }, this.assignment) as never;
    this.builder.setNet(this.state.net);
    void this.endRun();
    this.refresh();
    byId("network-title").scrollIntoView({ block: "nearest" });
  }

  /** The page brought up to an address the visitor changed. */
  private addressRead(): void {
    this.builder.setNet(this.state.net);
    void this.endRun();
    this.refresh();
    this.previewSoon();
  }

  private async endRun(): Promise<void> {
    const had = this.trainer.run !== null;
    await this.trainer.forget();
    if (had) {
      this.view.reset();
      byId("run-link").hidden = true;
      byId("weights-link").hidden = true;
      this.setInspectorReady(false);
      void this.loadOverlay();
    }
  }

  private refresh(): void {
    this.state.writeAddress();
    for (const [name, control] of this.controls) control.setValue(this.state.values[name]);
    const augment = (this.state.values.augment as string[] | undefined) ?? [];
    for (const [name, box] of this.augmentBoxes) box.checked = augment.includes(name);
    this.datasetSelect.value = String(this.state.values.dataset);
    const choice = this.currentChoice();
    byId("dataset-note").textContent = !choice
      ? `${String(this.state.values.dataset)} is not one of your datasets any more; choose another.`
      : choice.present
        ? `${formatCount(choice.pictures)} pictures of ${choice.shape.join(" × ")} in ${choice.classes.length} classes${choice.classes.length <= 10 ? `: ${choice.classes.join(", ")}` : ""}.`
        : `Not on this server: ${choice.how}.`;
    this.controls.get("image_size")?.element.toggleAttribute("hidden", !String(this.state.values.dataset).startsWith("upload:"));
    this.compareSelect.value = this.state.values.compare ? String(this.state.values.compare) : "";
    this.showMemory();
  }

  private showErrors(problems: ApiProblem[]): void {
    showPageErrors(showFieldErrors(this.controls, problems));
  }

  // --- network -------------------------------------------------------------------------

  private showInspection(result: InspectResult | null): void {
    this.inspected = result;
    if (!result) {
      byId("shapes-slot").replaceChildren();
      byId("volumes-slot").replaceChildren();
      byId("memory-line").textContent = "";
      return;
    }
    byId("shapes-slot").replaceChildren(shapesTable(this.builder.getNet(), result));
    byId("volumes-slot").replaceChildren(volumesPicture(result));
    this.showMemory();
  }

  private showMemory(): void {
    const choice = this.currentChoice();
    if (!this.inspected || !choice) return;
    const pictures = Math.min(choice.pictures, Number(this.state.values.train_examples ?? Infinity) + Number(this.state.values.test_examples ?? Infinity));
    const shape = this.inspected.input_shape;
    byId("memory-line").textContent = memoryEstimate(this.inspected, Number(this.state.values.batch_size), String(this.state.values.optimizer), pictures, shape).text;
  }

  private async exportScript(): Promise<void> {
    const response = await fetch("/api/nets/export", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ net: this.builder.getNet() }),
    });
    if (!response.ok) {
      this.showErrors([{ path: "", message: "The script could not be made: fix the network's layers first." }]);
      return;
    }
    const link = h("a", { href: URL.createObjectURL(await response.blob()), download: "net.py" });
    link.click();
    URL.revokeObjectURL(link.href);
  }

  // --- the run -------------------------------------------------------------------------

  private startedRun(run: Run): void {
    this.showErrors([]);
    showRunLink(run);
    this.view.reset();
    this.view.showRun(run);
    this.setInspectorReady(false);
    void this.loadOverlay();
  }

  private received(events: RunEvent[]): void {
    this.view.handle(events);
    byId("epoch-value").textContent = String(Math.floor(this.view.progress.epoch ?? 0));
    // The checkpoint is written right after each epoch's pictures: from the first, jobs can be asked.
    if (!this.inspector.ready && events.some((e) => e.type === "table" && e.data?.name === "confusion")) setTimeout(() => this.setInspectorReady(true), 300);
    if (events.some((e) => e.type === "status" && ["succeeded", "cancelled", "failed"].includes(String(e.data?.status)))) void this.loadRuns();
  }

  /** The inspector and the weights' download open once the run has saved weights. */
  private setInspectorReady(ready: boolean): void {
    this.inspector.setReady(ready);
    const run = this.trainer.run;
    const weights = byId<HTMLAnchorElement>("weights-link");
    weights.hidden = !ready || !run;
    if (run) weights.href = `/api/runs/${run.id}/weights`;
  }

  private async showCell(trueClass: number, predicted: number, labels: string[]): Promise<void> {
    const run = this.trainer.run;
    const slot = byId("cell-slot");
    if (!run) return;
    slot.replaceChildren(h("p", { className: "hint" }, "Finding the pictures…"));
    try {
      const result = await runJob<{ pictures: string[]; indices: number[] }>(run.id, "examples", { true: trueClass, predicted, limit: 24 });
      slot.replaceChildren(
        h("h3", {}, `True ${labels[trueClass]}, read as ${labels[predicted]}: ${result.indices.length} shown`),
        h("div", { className: "cell-pictures" }, result.pictures.map((src, i) => h("img", { src, alt: `Test picture ${result.indices[i]}`, className: "pixelated", title: `test picture ${result.indices[i]}` }))),
      );
    } catch (error) {
      slot.replaceChildren(h("p", { className: "field-error" }, errorWords(error)));
    }
  }

  // --- data preview and runs to compare ------------------------------------------------

  private async loadPreview(): Promise<void> {
    const ticket = ++this.previewCount;
    const slot = byId("examples-slot");
    try {
      const preview = await apiPost<{ examples: { label: string; picture: string; augmented?: string }[] }>(`tasks/${TASK}/preview`, { config: this.state.config() });
      if (ticket !== this.previewCount) return;
      const augmented = preview.examples.some((e) => e.augmented);
      slot.replaceChildren(
        h("p", { className: "hint" }, augmented ? "Training pictures, and below each the same picture as one batch might see it:" : "Training pictures:"),
        h(
          "div",
          { className: "example-grid" },
          preview.examples.map((e) =>
            h("figure", {}, h("img", { src: e.picture, alt: `A training picture of ${e.label}`, className: "pixelated" }), e.augmented ? h("img", { src: e.augmented, alt: `The same, augmented`, className: "pixelated" }) : null, h("figcaption", {}, e.label)),
          ),
        ),
      );
    } catch (error) {
      if (ticket !== this.previewCount) return;
      slot.replaceChildren(h("p", { className: "field-error" }, errorWords(error)));
    }
  }

  private async loadRuns(): Promise<void> {
    try {
      const runs = await apiGet<Run[]>("runs?limit=50");
      const current = this.trainer.run?.id;
      // Curves compare only on the same data.
      const mine = runs.filter((r) => r.task === TASK && r.id !== current && r.status === "succeeded" && r.config.dataset === this.state.values.dataset);
      const chosen = this.state.values.compare;
      this.compareSelect.replaceChildren(
        h("option", { value: "" }, "none"),
        ...mine.map((r) => h("option", { value: String(r.id) }, `Run ${r.id}: ${String((r.config as Record<string, unknown>).dataset)}, ${(r.net?.layers ?? []).length} layers`)),
      );
      this.compareSelect.value = chosen ? String(chosen) : "";
    } catch {
      // No runs to compare is not an error worth a word.
    }
  }

  private async loadOverlay(): Promise<void> {
    const id = Number(this.state.values.compare ?? 0);
    if (!id) return;
    try {
      const page = await apiGet<{ events: RunEvent[] }>(`runs/${id}/events?limit=5000`);
      this.view.overlay(id, page.events);
    } catch (error) {
      this.showErrors([{ path: "", message: `Run ${id}'s curves could not be read: ${errorWords(error)}` }]);
    }
  }
}
