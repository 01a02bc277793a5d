/** The Style page: wires state, picture choices, the layer chooser, the estimate, the trainer and the run view together. */
import { apiGet, apiPost, type ApiProblem } from "../shared/api";
import { lockAreas } from "../shared/assignmentbar";
import { byId, debounce, formatBytes, h } from "../shared/dom";
import { choiceText, fieldControl, showFieldErrors, type FieldControl, type FieldOptions } from "../shared/fields";
import { lessonsSection } from "../shared/lessons";
import { followAddress, withLocks, type Assignment } from "../shared/pagecontext";
import { presetConfig, type Preset } from "../shared/presets";
import { showPageErrors, showRunLink, showTrainerState, wireRunButtons } from "../shared/runbar";
import { Trainer } from "../shared/trainer";
import { showGallery } from "./gallery";
import { LayerChooser, type VggLayer } from "./layers";
import { buildSkeleton } from "./layout";
import { PicturePicker, type UploadInfo } from "./pictures";
import { lossesChart, lossesKey, StyleRunView } from "./runview";
import { liveFields, StyleState } from "./state";

const TASK = "style";

/** What the catalogue of the Style task holds. */
export interface StyleCatalogue {
  pictures: Record<string, { title: string; role: string; description: string }>;
  layers: VggLayer[];
}

/** The answer of `POST /api/tasks/style/preview`. */
interface Estimate {
  estimate: { size: number; memory_bytes: number; seconds: Record<string, number> };
  memory_budget: number;
  refusal: string | null;
}

/** What the page knows of the feature network's weights (`GET /api/datasets`). */
interface WeightsInfo {
  name: string;
  present: boolean;
  how: string;
}

function bytes(value: number): string {
  return value >= 2 ** 30 ? `${(value / 2 ** 30).toFixed(1)} GB` : formatBytes(value);
}

function seconds(value: number): string {
  if (value < 1) return "under a second";
  if (value < 90) return `${Math.round(value)} s`;
  return `${Math.round(value / 60)} min`;
}

/** The wired Style page. */
export class StylePage {
  private readonly state: StyleState;
  private readonly controls = new Map<string, FieldControl>();
  private readonly pickers = new Map<string, PicturePicker>();
  private readonly layers: LayerChooser;
  private readonly view: StyleRunView;
  private readonly trainer: Trainer;
  /** Settings the run in progress takes as they change (StyleControls), not only at its start. */
  private readonly liveFields: string[];
  private readonly catalogue: StyleCatalogue;
  private readonly thumbnails: Record<string, string>;
  /** The assignment the page works on: its locked fields keep the assignment's values. */
  private readonly assignment: Assignment | null;
  private estimateCount = 0;
  private readonly estimateSoon = debounce(() => void this.loadEstimate(), 200);

  constructor(root: HTMLElement, state: StyleState, thumbnails: Record<string, string>, assignment: Assignment | null = null) {
    this.state = state;
    this.thumbnails = thumbnails;
    this.assignment = assignment;
    this.catalogue = state.task.catalogue as unknown as StyleCatalogue;
    this.liveFields = liveFields(state.task);
    buildSkeleton(root);
    this.buildPickers();
    this.layers = new LayerChooser(this.catalogue.layers, (choice) => {
      const chosen = { content_layers: choice.content, style_layers: choice.style, style_layer_weights: choice.weights };
      const free = Object.entries(chosen).filter(([name]) => !this.isLocked(name));
      for (const [name, value] of free) this.state.values[name] = value;
      this.changed(free.map(([name]) => name));
    });
    byId("layers-slot").append(this.layers.element);
    // The chooser sets its three fields together: any of them locked makes it inert (refresh shows the assignment's choice).
    if (assignment) lockAreas(assignment.locked, { content_layers: "layers-slot", style_layers: "layers-slot", style_layer_weights: "layers-slot" });
    this.buildControls();
    byId("losses-key").append(lossesKey());
    this.view = new StyleRunView({
      status: byId("status-line"),
      note: byId("run-note"),
      chart: lossesChart(byId("losses-chart"), 170),
      result: byId<HTMLImageElement>("result-image"),
      caption: byId("result-caption"),
      download: byId<HTMLAnchorElement>("download-link"),
    });
    this.view.onProgress = (progress) => (byId("iteration-value").textContent = String(progress.iteration ?? 0));
    this.trainer = new Trainer(TASK, {
      config: () => this.state.config(),
      onRun: (run) => {
        this.showErrors([]);
        showRunLink(run);
        this.view.reset(Number(this.state.values.iterations));
        this.view.showRun(run);
      },
      onEvents: (events) => {
        this.view.handle(events);
        if (events.some((e) => e.type === "status" && e.data.status === "succeeded")) void this.refreshGallery();
      },
      onState: showTrainerState,
      onErrors: (problems) => this.showErrors(problems),
    });
    byId("lessons-slot").append(lessonsSection(this.state.task.catalogue?.lessons ?? [], (preset) => void this.applyPreset(preset)));
    wireRunButtons(this.trainer);
    followAddress(this.state, assignment, () => this.addressRead());
    this.refresh();
    showTrainerState("idle");
    void this.loadEstimate();
    void this.loadUploads();
    void this.loadWeights();
    void this.refreshGallery();
  }

  private buildPickers(): void {
    const pictures = this.catalogue.pictures;
    const byRole = (role: string) => Object.fromEntries(Object.entries(pictures).sort(([, a], [, b]) => Number(b.role === role) - Number(a.role === role)));
    const add = (field: string, slot: string, legend: string, role: string, none?: string) => {
      const picker = new PicturePicker({
        field,
        legend,
        builtins: byRole(role),
        thumbnails: this.thumbnails,
        none,
        onPick: (value) => this.change(field, value || null),
        onUploaded: (upload) => this.offerUpload(upload),
      });
      this.pickers.set(field, picker);
      byId(slot).append(picker.element);
    };
    add("content", "content-slot", "Content: what is painted", "content");
    add("style", "style-slot", "Style: how it is painted", "style");
    add("style_b", "style-b-slot", "Second style", "style", "None");
  }

  private offerUpload(upload: UploadInfo): void {
    for (const picker of this.pickers.values()) picker.addUploads([upload]);
  }

  private buildControls(): void {
    const add = (name: string, slot: string, options: FieldOptions = {}) => {
      const field = this.state.fields.get(name);
      if (!field) return;
      const control = fieldControl(field, (value) => this.change(name, value), { choiceLabel: choiceText, ...options });
      this.controls.set(name, control);
      byId(slot).append(control.element);
    };
    add("size", "hyper-slot", { label: "Size (px)" });
    add("iterations", "hyper-slot", { label: "Iterations" });
    add("optimizer", "hyper-slot", { label: "Optimiser", choiceLabel: (c) => (c === "lbfgs" ? "L-BFGS" : "Adam") });
    add("init", "hyper-slot", { label: "Start from", choiceLabel: (c) => (c === "content" ? "Content" : "Noise") });
    add("learning_rate", "hyper-slot", { label: "Adam's step" });
    add("content_weight", "weights-slot", { label: "Content" });
    add("style_weight", "weights-slot", { label: "Style" });
    add("tv_weight", "weights-slot", { label: "Smoothness" });
    add("preserve_colour", "colour-slot", { label: "Keep the content's colours (transfer light and dark only)" });
    add("blend", "blend-slot", { widget: "range", label: "Share of the second style", format: (v) => `${Math.round(v * 100)} %` });
    add("picture_every", "more-slot", { label: "Iterations between pictures" });
    add("seed", "more-slot", { label: "Seed" });
  }

  private showErrors(problems: ApiProblem[]): void {
    showPageErrors(showFieldErrors(this.controls, problems), (p) => sentence(p.message));
  }

  /** Applies one control's change; a loss weight reaches the run in progress, anything else ends it. */
  change(name: string, value: unknown): void {
    if (this.isLocked(name)) return;
    this.state.values[name] = value as never;
    if (this.liveFields.includes(name) && typeof value === "number") void this.sendControl(name, value);
    this.changed([name]);
  }

  private isLocked(name: string): boolean {
    return this.assignment?.locked.includes(name) ?? false;
  }

  /** Tells the running run a new weight; the run's own log line then says from which iteration it counts. */
  private async sendControl(name: string, value: number): Promise<void> {
    if (!["queued", "running", "paused"].includes(this.trainer.state)) return;
    const note = byId("run-note");
    // Written before the request, since the run's answer may arrive on the stream before the HTTP reply.
    const sent = `New ${lossWord(name)} weight ${value} sent; it counts from the next iteration.`;
    note.textContent = sent;
    if (!(await this.trainer.setControls({ [name]: value })) && note.textContent === sent) note.textContent = "";
  }

  private changed(names: string[]): void {
    if (names.some((name) => !this.liveFields.includes(name))) void this.trainer.forget();
    this.estimateSoon();
    this.refresh();
  }

  private async applyPreset(preset: Preset): Promise<void> {
    const values = { ...this.state.values, ...presetConfig(preset, this.state.defaults), content: this.state.values.content, style: this.state.values.style };
    this.state.values = withLocks(values, this.assignment) as never;
    await this.trainer.forget();
    this.refresh();
    void this.loadEstimate();
    void this.trainer.train();
  }

  /** The page brought up to an address the visitor changed. */
  private addressRead(): void {
    void this.trainer.forget();
    this.refresh();
    void this.loadEstimate();
  }

  private refresh(): void {
    const values = this.state.values;
    for (const [name, control] of this.controls) control.setValue(values[name]);
    for (const [name, picker] of this.pickers) picker.setValue(values[name]);
    this.controls.get("learning_rate")?.element.toggleAttribute("hidden", values.optimizer !== "adam");
    this.layers.setChoice({ content: this.state.list("content_layers"), style: this.state.list("style_layers"), weights: this.state.list("style_layer_weights") });
    this.showChosen();
    this.state.writeAddress();
  }

  /** The chosen content and style side by side, large. */
  private showChosen(): void {
    const figure = (field: string, label: string) => {
      const value = String(this.state.values[field] ?? "");
      const picker = this.pickers.get(field);
      const image = picker?.element.querySelector<HTMLImageElement>(`input[value="${CSS.escape(value)}"] ~ img`);
      const title = this.catalogue.pictures[value]?.title ?? (value.startsWith("upload:") ? "Your picture" : value);
      return h("figure", { className: "chosen" }, image ? h("img", { src: image.src, alt: `${label}: ${title}` }) : h("span", { className: "picture-placeholder large", "aria-hidden": "true" }, "↑"), h("figcaption", {}, `${label}: ${title}`));
    };
    const pair = [figure("content", "Content"), h("span", { className: "chosen-plus", "aria-hidden": "true" }, "+"), figure("style", "Style")];
    if (this.state.values.style_b) pair.push(h("span", { className: "chosen-plus", "aria-hidden": "true" }, "+"), figure("style_b", "Second style"));
    byId("chosen-pair").replaceChildren(...pair);
  }

  private async loadEstimate(): Promise<void> {
    const count = ++this.estimateCount;
    const box = byId("estimate");
    try {
      const answer = await apiPost<Estimate>(`tasks/${TASK}/preview`, { config: this.state.config() });
      if (count !== this.estimateCount) return;
      const { memory_bytes, seconds: time } = answer.estimate;
      box.classList.toggle("refused", Boolean(answer.refusal));
      box.textContent = answer.refusal
        ? `Too big for this server: ${answer.refusal}.`
        : `Needs about ${bytes(memory_bytes)} of memory (of ${bytes(answer.memory_budget)} a run may use) and about ${seconds(time.cpu)} on a CPU, ${seconds(time.cuda)} on a GPU.`;
    } catch (error) {
      if (count !== this.estimateCount) return;
      box.classList.add("refused");
      box.textContent = error instanceof Error ? sentence(error.message.replace(/^config\.[a-z_]+: /, "")) : "";
    }
  }

  private async loadUploads(): Promise<void> {
    try {
      const uploads = await apiGet<UploadInfo[]>("uploads");
      for (const picker of this.pickers.values()) picker.addUploads(uploads);
      this.refresh();
    } catch {
      /* no uploads to offer */
    }
  }

  private async loadWeights(): Promise<void> {
    try {
      const vgg = (await apiGet<WeightsInfo[]>("datasets")).find((entry) => entry.name === "vgg19");
      const note = byId("network-note");
      note.dataset.weights = vgg?.present ? "imagenet" : "random";
      note.replaceChildren(
        vgg?.present
          ? "VGG-19 with its ImageNet weights. "
          : h("strong", {}, "Offline stand-in: VGG-19's shape with random filters, since the ImageNet weights are not on this server. It transfers colour and texture, not brush strokes. "),
        "Content layers keep what is in the picture; style layers match which features fire together (their Gram matrices).",
      );
      if (!vgg?.present && vgg?.how) note.title = `To use the real weights: ${vgg.how}`;
    } catch {
      /* the note keeps its general words */
    }
  }

  private async refreshGallery(): Promise<void> {
    try {
      await showGallery(byId("gallery-slot"));
    } catch {
      /* the gallery keeps what it shows */
    }
  }
}

/** The loss a weight field scales, in the page's words. */
function lossWord(field: string): string {
  return field === "tv_weight" ? "smoothness" : field.replace(/_weight$/, "");
}

/** A message as a sentence: capital first letter, full stop at the end. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return "";
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
