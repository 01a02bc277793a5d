/** The Basics page's state: the task configuration plus UI toggles, mirrored in the URL hash. */
import type { FieldInfo } from "../shared/schema";
import { PageState, type Prop, type State } from "../shared/state";
import type { TaskInfo } from "../shared/tasks";

/** The UI toggles the hash carries beside the configuration. */
export const UI_PROPS: Prop[] = [
  { name: "showTest", type: "boolean" },
  { name: "discretize", type: "boolean" },
];

/** The UI toggles' starting values. */
export const UI_DEFAULTS: State = { showTest: false, discretize: false };

/** The configuration fields whose change alters the data points. */
export const DATA_FIELDS = ["dataset", "problem", "points", "n_points", "noise", "train_ratio", "data_seed"];

/** Fields that may change without ending the current run. */
export const LIVE_FIELDS = ["learning_rate", "epochs", "target_test_loss", ...UI_PROPS.map((p) => p.name)];

/** The problem type a dataset implies (null when the visitor chooses, as for custom points). */
export function datasetProblem(task: TaskInfo, dataset: string): string | null {
  return task.catalogue?.datasets?.[dataset]?.problem ?? null;
}

/** The Basics page's state: the configuration, the UI toggles, and the hidden layers' bounds. */
export class BasicsState extends PageState {
  constructor(task: TaskInfo) {
    super(task, UI_PROPS, UI_DEFAULTS);
  }

  /** The configuration to send to the API (no UI toggles; points only for the custom dataset). */
  override config(): Record<string, unknown> {
    const config = super.config();
    if (config.dataset !== "custom" && "points" in config) config.points = null;
    return config;
  }

  /** The bounds of the hidden-layer list, from the schema. */
  hiddenLimits(): { maxLayers: number; minNeurons: number; maxNeurons: number } {
    const hidden = this.fields.get("hidden");
    return { maxLayers: hidden?.maxItems ?? 6, minNeurons: hidden?.item?.minimum ?? 1, maxNeurons: hidden?.item?.maximum ?? 8 };
  }
}

/** A random seed within a field's bounds. */
export function randomSeed(field: FieldInfo | undefined): number {
  const max = Math.min(field?.maximum ?? 2 ** 31 - 1, 2 ** 31 - 1);
  return Math.floor(Math.random() * (max + 1));
}
