/** The Text page's state: the task configuration, mirrored in the URL hash. */
import { fieldsOf, type FieldInfo } from "../shared/schema";
import { parseState, propsFromFields, serializeState, type Prop, type State } from "../shared/state";
import type { TaskInfo } from "../shared/tasks";

/** Fields that may change without ending the current run: they are sent to it as live controls. */
export const LIVE_FIELDS = ["learning_rate", "sample_temperature"];

/** The configuration fields whose change means another corpus preview. */
export const CORPUS_FIELDS = ["corpus", "val_fraction"];

/** The state of the page, its PROPS table and the schema's fields. */
export class TextState {
  readonly fields: Map<string, FieldInfo>;
  readonly props: Prop[];
  readonly defaults: Record<string, unknown>;
  readonly task: TaskInfo;
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

  /** The configuration to send to the API. */
  config(): Record<string, unknown> {
    const config: Record<string, unknown> = {};
    for (const name of this.fields.keys()) if (name in this.values) config[name] = structuredClone(this.values[name]);
    return config;
  }
}
