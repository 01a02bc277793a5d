/** The Style page's state: the task configuration, mirrored in the URL hash. */
import { fieldsOf, type FieldInfo } from "../shared/schema";
import { parseState, propsFromFields, serializeState, type Prop, type State } from "../shared/state";
import type { TaskInfo } from "../shared/tasks";

/** Fields that may change without ending the current run (none yet: every change starts afresh). */
export const LIVE_FIELDS: string[] = [];

/** The state of the page, its PROPS table and the schema's fields. */
export class StyleState {
  /** The configuration fields, from the schema. */
  readonly fields: Map<string, FieldInfo>;
  /** The hash table. */
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
    this.props = propsFromFields(this.fields.values());
    this.defaults = task.default_config;
    this.values = structuredClone(task.default_config) as State;
  }

  /** Replaces the values with defaults overlaid by what the hash says. */
  readHash(hash: string): void {
    this.values = { ...structuredClone(this.defaults), ...parseState(hash, this.props) } as State;
  }

  /** The hash text of the current values. */
  hash(): string {
    return serializeState(this.values, this.props);
  }

  /** The configuration to send to the API: an empty second style or weight list means none. */
  config(): Record<string, unknown> {
    const config: Record<string, unknown> = {};
    for (const name of this.fields.keys()) if (name in this.values) config[name] = structuredClone(this.values[name]);
    if (!config.style_b) config.style_b = null;
    const weights = config.style_layer_weights;
    if (!Array.isArray(weights) || weights.length !== this.list("style_layers").length) config.style_layer_weights = null;
    return config;
  }

  /** A list value (empty when missing). */
  list<T>(name: string): T[] {
    return Array.isArray(this.values[name]) ? (this.values[name] as T[]) : [];
  }

  /** Each style layer's weight (1 where none is set). */
  styleWeights(): Map<string, number> {
    const layers = this.list<string>("style_layers");
    const weights = this.list<number>("style_layer_weights");
    return new Map(layers.map((layer, i) => [layer, weights.length === layers.length ? weights[i] : 1]));
  }
}
