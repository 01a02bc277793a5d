/** The Text page: wires state, corpus, builder, trainer, charts, samples, sampler and embedding map together. */
import { apiGet, apiPost, type ApiProblem, type Upload } from "../shared/api";
import { lockAreas } from "../shared/assignmentbar";
import { LayerStackBuilder } from "../shared/builder";
import { byId, debounce, h } from "../shared/dom";
import { fieldControl, showFieldErrors, type FieldControl, type FieldOptions } from "../shared/fields";
import { lessonsSection } from "../shared/lessons";
import { followAddress, withLocks, type Assignment } from "../shared/pagecontext";
import { inspectNet, type LayerSpec, type NetSpec } from "../shared/netspec";
import type { LayerTypeSpec } from "../shared/palette";
import { presetConfig, type Preset } from "../shared/presets";
import { choiceName, settingName } from "../shared/settingtext";
import { showPageErrors, showRunLink, showTrainerState, wireRunButtons } from "../shared/runbar";
import type { PageState } from "../shared/state";
import { Trainer } from "../shared/trainer";
import { CorpusPanel, type CorpusInfo, type CorpusPreview, type DatasetInfo } from "./corpus";
import { EmbeddingMap } from "./embedding";
import { buildSkeleton } from "./layout";
import { TextRunView } from "./runview";
import { Sampler } from "./sampler";
import { SamplesPanel } from "./samples";
import { CORPUS_FIELDS, LIVE_FIELDS } from "./state";

const TASK = "text";

/** Fields shown in the training bar; every other one (but corpus and net) goes under "More settings". */
const HYPER_FIELDS = ["learning_rate", "steps", "seq_len", "batch_size", "grad_clip", "schedule", "carry_state"];
const DRAWN_ELSEWHERE = new Set(["corpus", "net"]);
/** Fields shown above the samples they change (the temperature can change while the run trains). */
const SAMPLE_FIELDS: Record<string, FieldOptions> = { sample_temperature: { widget: "range", format: (value) => value.toFixed(2) } };

/** The whole network a configuration trains: its layers between the ids of `seqLen` characters and a decoder to each. */
export function textNet(layers: LayerSpec[], seqLen: number, vocabulary: number): NetSpec {
  const input = { shape: [seqLen], dtype: "long", vocab_size: vocabulary };
  return { version: 1, input, layers: [...layers, { type: "Linear", out_features: vocabulary }] } as NetSpec;
}

/** What the builder edits: the configured layers over the input, without the decoder the task adds. */
export function bodyNet(layers: LayerSpec[], seqLen: number, vocabulary: number): NetSpec {
  return { ...textNet([], seqLen, vocabulary), layers: structuredClone(layers) };
}

/** Makes a blob downloadable under a file name. */
function download(content: BlobPart, name: string, type: string): void {
  const link = h("a", { href: URL.createObjectURL(new Blob([content], { type })), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

/** The wired Text page. */
export class TextPage {
  private readonly state: PageState;
  private readonly controls = new Map<string, FieldControl>();
  private readonly corpus: CorpusPanel;
  private readonly builder: LayerStackBuilder;
  /** The assignment the page works on: its locked fields keep the assignment's values. */
  private readonly assignment: Assignment | null;
  private readonly view: TextRunView;
  private readonly trainer: Trainer;
  private readonly sampler: Sampler;
  private preview: CorpusPreview | null = null;
  private previewCount = 0;
  private readonly previewSoon = debounce(() => void this.loadPreview(), 150);
  private pendingControls: Record<string, number> = {};
  /** A slider sends one request when it rests, not one per pixel. */
  private readonly sendControlsSoon = debounce(() => {
    const controls = this.pendingControls;
    this.pendingControls = {};
    void this.trainer.setControls(controls);
  }, 200);

  constructor(root: HTMLElement, state: PageState, palette: LayerTypeSpec[], datasets: DatasetInfo[], assignment: Assignment | null = null) {
    this.state = state;
    this.assignment = assignment;
    buildSkeleton(root);
    this.buildForm();
    const catalogue = state.task.catalogue as { corpora?: Record<string, CorpusInfo>; layer_types?: string[] } | undefined;
    const corpora = catalogue?.corpora ?? {};
    const layerTypes = catalogue?.layer_types ?? [];
    this.corpus = new CorpusPanel(corpora, datasets, (corpus) => this.change("corpus", corpus));
    byId("corpus-slot").append(this.corpus.element);
    this.builder = new LayerStackBuilder(byId("builder-slot"), {
      // the layer types a text network may use, as the task's catalogue lists them
      palette: palette.filter((spec) => layerTypes.includes(spec.type)),
      inspect: (net) => inspectNet(textNet(net.layers, this.seqLen(), this.vocabulary())),
      label: "Text network layers",
      onChange: (net) => this.change("net", net.layers),
    });
    if (assignment) lockAreas(assignment.locked, { net: "builder-slot", corpus: "corpus-slot" });
    const samples = new SamplesPanel();
    byId("samples-slot").append(samples.element);
    const embedding = new EmbeddingMap();
    byId("embedding-slot").append(embedding.element);
    this.sampler = new Sampler({ runId: () => this.trainer.run?.id ?? null });
    this.sampler.setReady(false);
    byId("sampler-slot").append(this.sampler.element);
    this.view = new TextRunView({ lossBox: byId("loss-chart"), gradBox: byId("grad-chart"), status: byId("status-line"), note: byId("run-note"), samples, embedding });
    this.view.onProgress = (progress) => (byId("step-value").textContent = String(progress.step ?? 0));
    this.trainer = new Trainer(TASK, {
      config: () => state.config(),
      onRun: (run) => {
        this.showErrors([]);
        showRunLink(run);
        const weights = byId<HTMLAnchorElement>("weights-link");
        weights.href = `/api/runs/${run.id}/weights`;
        weights.removeAttribute("aria-disabled");
        this.view.reset();
        this.view.setEntropy(this.preview?.statistics.entropy_bits ?? null, this.steps());
        this.view.showRun(run);
        this.sampler.setReady(true);
      },
      onEvents: (events) => this.view.handle(events),
      onState: showTrainerState,
      onErrors: (problems) => this.showErrors(problems),
    });
    byId("lessons-slot").append(lessonsSection(state.task.catalogue?.lessons ?? [], (preset) => void this.applyPreset(preset)));
    this.wireButtons();
    followAddress(this.state, this.assignment, () => this.addressRead());
    this.refresh();
    this.builder.setNet(bodyNet(state.values.net as LayerSpec[], this.seqLen(), this.vocabulary()));
    showTrainerState("idle");
    void this.loadPreview();
    void apiGet<Upload[]>("uploads").then((uploads) => this.corpus.setUploads(uploads), () => undefined);
  }

  private buildForm(): void {
    for (const field of this.state.fields.values()) {
      if (DRAWN_ELSEWHERE.has(field.name)) continue;
      const options: FieldOptions = { choiceLabel: choiceName, label: settingName(field.name), ...SAMPLE_FIELDS[field.name] };
      const control = fieldControl(field, (value) => this.change(field.name, value), options);
      this.controls.set(field.name, control);
      const slot = HYPER_FIELDS.includes(field.name) ? "hyper-slot" : field.name in SAMPLE_FIELDS ? "samples-controls" : "more-slot";
      byId(slot).append(control.element);
    }
  }

  private steps(): number {
    return Number(this.state.values.steps ?? 1000);
  }

  private seqLen(): number {
    return Number(this.state.values.seq_len ?? 64);
  }

  /** The corpus's vocabulary size as the preview counted it (a placeholder until it comes). */
  private vocabulary(): number {
    return this.preview?.statistics.vocabulary ?? 96;
  }

  private wireButtons(): void {
    wireRunButtons(this.trainer);
    byId("script-button").addEventListener("click", () => void this.downloadScript());
    byId("weights-link").addEventListener("click", (event) => {
      if (!this.trainer.run) event.preventDefault();
    });
  }

  private async downloadScript(): Promise<void> {
    try {
      const script = await apiPost<string>("nets/export", { net: textNet(this.state.values.net as LayerSpec[], this.seqLen(), this.vocabulary()) });
      download(script, "text_net.py", "text/x-python");
    } catch (error) {
      this.showErrors((error as { errors?: ApiProblem[] }).errors ?? [{ path: "", message: String(error) }]);
    }
  }

  private showErrors(problems: ApiProblem[]): void {
    showPageErrors(showFieldErrors(this.controls, problems), (p) => (p.path && p.path !== "config" ? `${p.path.replace(/^config\./, "")}: ${p.message}` : p.message));
  }

  /** Applies one setting's change. */
  change(name: string, value: unknown): void {
    if (this.assignment?.locked.includes(name)) return;
    this.state.values[name] = value as never;
    // live controls (the task's Controls): the run in progress takes them at its next step
    if (LIVE_FIELDS.includes(name) && typeof value === "number") {
      this.pendingControls[name] = value;
      this.sendControlsSoon();
    }
    if (!LIVE_FIELDS.includes(name)) void this.endRun();
    if (CORPUS_FIELDS.includes(name)) this.previewSoon();
    if (name === "steps" && !this.trainer.run) this.view.setEntropy(this.preview?.statistics.entropy_bits ?? null, this.steps());
    if (name === "seq_len") this.builder.setNet(bodyNet(this.state.values.net as LayerSpec[], this.seqLen(), this.vocabulary()));
    this.refresh();
  }

  private async endRun(): Promise<void> {
    if (this.trainer.run === null) return;
    const forgetting = this.trainer.forget();
    this.view.reset();
    this.view.setEntropy(this.preview?.statistics.entropy_bits ?? null, this.steps());
    byId("run-link").hidden = true;
    byId("weights-link").setAttribute("aria-disabled", "true");
    this.sampler.setReady(false);
    await forgetting;
  }

  private refresh(): void {
    this.state.writeAddress();
    for (const [name, control] of this.controls) control.setValue(this.state.values[name]);
    this.corpus.setValue(String(this.state.values.corpus ?? ""));
    const vocabulary = this.preview ? `${this.vocabulary()} different characters` : "the corpus's characters";
    byId("network-input").textContent = `In: ${this.seqLen()} characters at a time, each an id among ${vocabulary}.`;
    byId("network-decoder").textContent = `Then a Linear decoder gives each character a score; the softmax of the scores is the next character's probability.`;
  }

  private async loadPreview(): Promise<void> {
    const ticket = ++this.previewCount;
    try {
      const preview = await apiPost<CorpusPreview>(`tasks/${TASK}/preview`, { config: this.state.config() });
      if (ticket !== this.previewCount) return;
      this.preview = preview;
      this.corpus.showPreview(preview);
      this.showErrors([]);
      if (!this.trainer.run) this.view.setEntropy(preview.statistics.entropy_bits, this.steps());
      this.builder.setNet(bodyNet(this.state.values.net as LayerSpec[], this.seqLen(), this.vocabulary()));
      this.refresh();
    } catch (error) {
      if (ticket !== this.previewCount) return;
      this.preview = null;
      const problems = (error as { errors?: ApiProblem[] }).errors ?? [{ path: "", message: String(error) }];
      this.corpus.showPreview(null, problems.map((p) => p.message).join(" "));
      this.showErrors(problems);
    }
  }

  private async applyPreset(preset: Preset): Promise<void> {
    this.state.values = withLocks({ ...this.state.values, ...presetConfig(preset, this.state.defaults) }, this.assignment) as typeof this.state.values;
    await this.endRun();
    this.refresh();
    this.builder.setNet(bodyNet(this.state.values.net as LayerSpec[], this.seqLen(), this.vocabulary()));
    window.scrollTo({ top: 0, behavior: "smooth" });
    await this.loadPreview();
    await this.trainer.train();
  }

  /** The page brought up to an address the visitor changed. */
  private addressRead(): void {
    void this.endRun();
    this.refresh();
    this.builder.setNet(bodyNet(this.state.values.net as LayerSpec[], this.seqLen(), this.vocabulary()));
    void this.loadPreview();
  }
}
