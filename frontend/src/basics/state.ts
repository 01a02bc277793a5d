/** The Basics page's state: the task configuration plus UI toggles, mirrored in the URL hash. */
import { fieldsOf, type FieldInfo } from "../shared/schema";
import { parseState, propsFromFields, serializeState, type Prop, type State } from "../shared/state";
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

/** The state of the page, its PROPS table and the schema's fields. */
export class BasicsState {
  /** The configuration fields, from the schema. */
  readonly fields: Map<string, FieldInfo>;
  /** The hash table: configuration fields, then UI toggles. */
  readonly props: Prop[];
  /** The task's defaults. */
  readonly defaults: Record<string, unknown>;
  /** The task as the API lists it. */
  readonly task: TaskInfo;
  /** The current values. */
  values: State;

  constructor(task: TaskInfo) {
    this.task = task;
    this.fields = fieldsOf(task.schema);
    this.props = [...propsFromFields(this.fields.values()), ...UI_PROPS];
    this.defaults = task.default_config;
    this.values = { ...structuredClone(task.default_config), ...UI_DEFAULTS } as State;
  }

  /** Replaces the values with defaults (or `base` over them: an assignment's settings) overlaid by what the hash says. */
  readHash(hash: string, base: Record<string, unknown> = {}): void {
    this.values = { ...structuredClone(this.defaults), ...UI_DEFAULTS, ...structuredClone(base), ...parseState(hash, this.props) } as State;
  }

  /** The hash text of the current values. */
  hash(): string {
    return serializeState(this.values, this.props);
  }

  /** The configuration to send to the API (no UI toggles; points only for the custom dataset). */
  config(): Record<string, unknown> {
    const config: Record<string, unknown> = {};
    for (const name of this.fields.keys()) if (name in this.values) config[name] = structuredClone(this.values[name]);
    if (config.dataset !== "custom" && "points" in config) config.points = null;
    return config;
  }

  /** A value as a number (0 when missing). */
  number(name: string): number {
    return Number(this.values[name] ?? 0);
  }

  /** A list value (empty when missing). */
  list<T>(name: string): T[] {
    return Array.isArray(this.values[name]) ? (this.values[name] as T[]) : [];
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
