/** The Basics page: wires state, controls, drawing, trainer and run view together. */
import type { ApiProblem } from "../shared/api";
import { lockAreas } from "../shared/assignmentbar";
import { followAddress, withLocks, type Assignment } from "../shared/pagecontext";
import { byId, debounce, h } from "../shared/dom";
import type { Point } from "../shared/events";
import { featureText, showFieldErrors } from "../shared/fields";
import { lessonsSection } from "../shared/lessons";
import { findType, type LayerTypeSpec } from "../shared/palette";
import { presetConfig, type Preset } from "../shared/presets";
import { showPageErrors, showRunLink, showTrainerState, wireRunButtons } from "../shared/runbar";
import { Trainer, type TrainerState } from "../shared/trainer";
import { DatasetPicker } from "./datasetpicker";
import { BasicsForm } from "./form";
import { Heatmap } from "./heatmap";
import { LayersPanel, mlpSpec } from "./layerspanel";
import { buildSkeleton } from "./layout";
import { NetDiagram } from "./netdiagram";
import { clickedPoint } from "./points";
import { PointsPanel } from "./pointspanel";
import { askAbout } from "./prediction";
import { previewFitted, type Preview } from "./preview";
import { accuracyChart, lossChart, RunView } from "./runview";
import { BasicsState, DATA_FIELDS, datasetProblem, LIVE_FIELDS, randomSeed } from "./state";

const TASK = "basics";

/** The wired Basics page. */
export class BasicsPage {
  private readonly state: BasicsState;
  private readonly palette: LayerTypeSpec[];
  private readonly form: BasicsForm;
  private readonly picker: DatasetPicker;
  private readonly diagram: NetDiagram;
  private readonly heatmap: Heatmap;
  private readonly view: RunView;
  private readonly trainer: Trainer;
  private readonly points: PointsPanel;
  private readonly layers: LayersPanel;
  private readonly toggles = new Map<string, HTMLInputElement>();
  private preview: Preview | null = null;
  private previewCount = 0;
  private predictions = 0; // clicks asked about so far: only the latest answer is shown
  private readonly previewSoon = debounce(() => void this.loadPreview(), 150);
  /** The assignment the page works on: its locked fields keep the assignment's values. */
  private readonly assignment: Assignment | null;

  constructor(root: HTMLElement, state: BasicsState, palette: LayerTypeSpec[], assignment: Assignment | null = null) {
    this.state = state;
    this.palette = palette;
    this.assignment = assignment;
    buildSkeleton(root);
    const change = (name: string, value: unknown) => this.change(name, value);
    this.form = new BasicsForm(state, { hyper: byId("hyper-slot"), data: byId("data-slot"), stop: byId("stop-slot"), more: byId("more-slot") }, change);
    this.picker = new DatasetPicker(state.fields.get("dataset")!, (dataset) => this.pickDataset(dataset));
    byId("dataset-slot").append(this.picker.element);
    this.points = new PointsPanel(
      { setPoints: (points) => this.setPoints(points), onDrawing: (drawing) => this.startDrawing(drawing) },
      () => [...(this.view.shownPoints?.train ?? []), ...(this.view.shownPoints?.test ?? [])],
    );
    byId("points-slot").append(this.points.element);
    this.diagram = new NetDiagram(
      byId("diagram-slot"),
      { onToggleInput: (key) => this.toggleFeature(key), onLayers: (delta) => this.changeLayers(delta), onNeurons: (layer, delta) => this.changeNeurons(layer, delta) },
      state.hiddenLimits(),
    );
    this.heatmap = new Heatmap(byId<HTMLCanvasElement>("heatmap"));
    this.heatmap.canvas.addEventListener("click", (event) => this.clickPlane(event));
    this.addToggle("showTest", "Show test data");
    this.addToggle("discretize", "Discretize output");
    this.view = new RunView({
      heatmap: this.heatmap,
      lossChart: lossChart(byId("loss-chart"), 150),
      accuracyChart: accuracyChart(byId("accuracy-chart"), 130),
      gradBox: byId("grad-chart"),
      diagram: this.diagram,
      status: byId("status-line"),
      note: byId("run-note"),
    });
    this.view.onProgress = (progress) => (byId("epoch-value").textContent = String(progress.epoch ?? 0));
    this.trainer = new Trainer(TASK, {
      config: () => state.config(),
      onRun: (run, continued) => {
        this.showErrors([]);
        showRunLink(run);
        if (!continued) this.view.reset();
        this.view.showRun(run);
      },
      onEvents: (events) => this.view.handle(events),
      onState: (trainerState) => this.showTrainerState(trainerState),
      onErrors: (problems) => this.showErrors(problems),
    });
    this.layers = new LayersPanel(palette);
    byId("lessons-slot").append(
      lessonsSection(this.state.task.catalogue?.lessons ?? [], (preset) => void this.applyPreset(preset)),
    );
    byId("layers-slot").append(this.layers.element);
    this.wireButtons();
    if (assignment) this.lock(assignment);
    followAddress(this.state, this.assignment, () => this.addressRead());
    this.refresh();
    this.showTrainerState("idle");
    void this.loadPreview();
    this.drawThumbnails();
  }

  private addToggle(name: string, label: string): void {
    const input = h("input", { type: "checkbox", id: `toggle-${name}` });
    input.addEventListener("change", () => this.change(name, input.checked));
    this.toggles.set(name, input);
    byId("toggle-slot").append(h("div", { className: "field field-checkbox" }, input, h("label", { for: input.id }, label)));
  }

  private wireButtons(): void {
    wireRunButtons(this.trainer);
    byId("step-button").addEventListener("click", () => void this.trainer.step());
    byId("reset-button").addEventListener("click", () => {
      this.state.values.seed = randomSeed(this.state.fields.get("seed"));
      void this.endRun();
      this.refresh();
    });
    byId("regenerate-button").addEventListener("click", () => this.change("data_seed", randomSeed(this.state.fields.get("data_seed"))));
  }

  /** The run bar's buttons for where training stands; Step only between runs. */
  private showTrainerState(state: TrainerState): void {
    showTrainerState(state);
    byId<HTMLButtonElement>("step-button").disabled = state === "running" || state === "queued" || state === "paused" || state === "starting";
  }

  private showErrors(problems: ApiProblem[]): void {
    const rest = showFieldErrors(this.form.controls, problems);
    const points = rest.filter((p) => p.path.startsWith("config.points"));
    this.points.setStatus(this.state.values.dataset === "custom" ? this.state.list("points").length : null, points.map((p) => p.message).join(" "));
    showPageErrors(rest.filter((p) => !p.path.startsWith("config.points")));
  }

  /** Marks the assignment's drawn areas inert (the bar disables the locked controls). */
  private lock(assignment: Assignment): void {
    lockAreas(assignment.locked, { dataset: "dataset-slot", points: "points-slot", features: "diagram-slot", hidden: "diagram-slot" });
    byId<HTMLButtonElement>("regenerate-button").disabled = assignment.locked.includes("data_seed");
  }

  /** Applies one control's change. */
  change(name: string, value: unknown): void {
    if (this.assignment?.locked.includes(name)) return;
    this.state.values[name] = value as never;
    if (name === "learning_rate" && typeof value === "number") void this.trainer.setControls({ learning_rate: value });
    if (!LIVE_FIELDS.includes(name)) void this.endRun();
    if (DATA_FIELDS.includes(name)) this.previewSoon();
    this.refresh();
  }

  private async endRun(): Promise<void> {
    const hadRun = this.trainer.run !== null || this.view.progress.epoch !== null;
    const forgetting = this.trainer.forget();
    if (hadRun) {
      this.view.reset();
      byId("run-link").hidden = true;
      if (this.preview) this.view.showPoints(this.preview.train, this.preview.test);
    }
    await forgetting;
  }

  private refresh(): void {
    const { state } = this;
    const choices = (state.fields.get("features")?.item?.choices ?? []).map(String);
    const features = choices.filter((key) => state.list<string>("features").includes(key));
    state.values.features = features;
    state.writeAddress();
    this.form.update(state.values);
    this.picker.setValue(state.values.dataset);
    for (const [name, input] of this.toggles) input.checked = Boolean(state.values[name]);
    this.heatmap.setShowTest(Boolean(state.values.showTest));
    this.heatmap.setDiscretize(Boolean(state.values.discretize));
    this.view.problem = String(state.values.problem ?? "");
    byId("accuracy-panel").hidden = this.view.problem === "regression";
    this.points.setProblem(this.view.problem);
    const outputs = this.outputCount();
    this.diagram.setShape({ inputs: choices.map((key) => ({ key, label: featureText(key), active: features.includes(key) })), hidden: state.list<number>("hidden"), outputs });
    const activation = String(state.values.activation ?? "");
    const activationType = findType(this.palette, activation)?.type ?? null;
    this.layers.showMlp(mlpSpec(features.length, state.list<number>("hidden"), activation === "linear" ? null : activationType, outputs));
  }

  private outputCount(): number {
    if (this.state.values.problem === "regression") return 1;
    const points: Point[] = this.state.values.dataset === "custom" ? this.state.list<Point>("points") : [...(this.preview?.train ?? []), ...(this.preview?.test ?? [])];
    const classes = points.reduce((most, p) => Math.max(most, Math.round(p[2]) + 1), 2);
    return classes > 2 ? classes : 1;
  }

  private async loadPreview(): Promise<void> {
    const ticket = ++this.previewCount;
    const custom = this.state.values.dataset === "custom" ? this.state.list<Point>("points") : null;
    if (custom && custom.length < 2) {
      this.preview = null;
      this.view.showPoints(custom, []);
      this.showErrors([{ path: "config.points", message: "Add at least two points, by clicking the plane or uploading a CSV." }]);
      return;
    }
    try {
      const fitted = await previewFitted(TASK, this.state.config(), this.state.fields.get("problem")?.choices ?? []);
      if (ticket !== this.previewCount) return;
      if (fitted.config.problem !== this.state.values.problem) this.state.values.problem = fitted.config.problem as string;
      this.preview = fitted;
      this.showErrors([]);
      if (!this.trainer.run) this.view.showPoints(fitted.train, fitted.test);
      this.refresh();
    } catch (error) {
      if (ticket !== this.previewCount) return;
      this.preview = null;
      this.view.showPoints([], []);
      this.showErrors((error as { errors?: ApiProblem[] }).errors ?? [{ path: "", message: String(error) }]);
    }
  }

  /** Draws each dataset's thumbnail from the samples the page's HTML carries (no request). */
  private drawThumbnails(): void {
    const element = document.getElementById("dataset-samples");
    const samples = element?.textContent ? (JSON.parse(element.textContent) as Record<string, Point[]>) : {};
    for (const [dataset, points] of Object.entries(samples)) this.picker.setThumbnail(dataset, points);
  }

  private pickDataset(dataset: string): void {
    if (dataset === "custom" && !Array.isArray(this.state.values.points)) {
      this.state.values.points = [];
      (byId("points-details") as HTMLDetailsElement).open = true;
      this.points.setDrawing(true);
    }
    const problem = datasetProblem(this.state.task, dataset);
    if (problem) this.state.values.problem = problem;
    this.change("dataset", dataset);
  }

  private setPoints(points: Point[]): void {
    this.state.values.points = points;
    if (this.state.values.dataset !== "custom") this.state.values.dataset = "custom";
    this.change("points", points);
  }

  private startDrawing(drawing: boolean): void {
    this.heatmap.canvas.classList.toggle("drawing", drawing);
    if (drawing && this.state.values.dataset !== "custom") this.setPoints([]);
  }

  private clickPlane(event: MouseEvent): void {
    const [x1, x2] = this.heatmap.toPlane(event.offsetX, event.offsetY);
    if (this.points.drawing) {
      this.setPoints([...this.state.list<Point>("points"), clickedPoint(x1, x2, this.points.label())]);
      return;
    }
    // Not drawing: the click asks the trained network about that point (a short job on the run's checkpoint).
    const run = this.trainer.run;
    const answer = byId("prediction");
    if (!run) {
      answer.textContent = "Train first; then click the plane to ask the network about a point.";
      return;
    }
    const asked = ++this.predictions;
    void askAbout(run.id, x1, x2).then((text) => {
      if (asked === this.predictions) answer.textContent = text;
    });
  }

  private toggleFeature(key: string): void {
    const features = this.state.list<string>("features");
    const next = features.includes(key) ? features.filter((f) => f !== key) : [...features, key];
    if (next.length) this.change("features", next);
  }

  private changeLayers(delta: 1 | -1): void {
    const hidden = [...this.state.list<number>("hidden")];
    const limits = this.state.hiddenLimits();
    if (delta > 0 && hidden.length < limits.maxLayers) hidden.push(Math.min(limits.maxNeurons, Math.max(limits.minNeurons, hidden[hidden.length - 1] ?? 2)));
    if (delta < 0) hidden.pop();
    this.change("hidden", hidden);
  }

  private changeNeurons(layer: number, delta: 1 | -1): void {
    const hidden = [...this.state.list<number>("hidden")];
    const limits = this.state.hiddenLimits();
    hidden[layer] = Math.max(limits.minNeurons, Math.min(limits.maxNeurons, hidden[layer] + delta));
    this.change("hidden", hidden);
  }

  private async applyPreset(preset: Preset): Promise<void> {
    const config = presetConfig(preset, this.state.defaults);
    this.state.values = withLocks({ ...this.state.values, ...config, showTest: false, discretize: false, ...(preset.ui ?? {}) }, this.assignment) as typeof this.state.values;
    await this.endRun();
    this.refresh();
    window.scrollTo({ top: 0, behavior: "smooth" });
    await this.loadPreview();
    await this.trainer.train();
  }

  /** The page brought up to an address the visitor changed. */
  private addressRead(): void {
    void this.endRun();
    this.refresh();
    void this.loadPreview();
  }
}
