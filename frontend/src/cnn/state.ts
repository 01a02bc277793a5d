/** The CNN page's state: the task configuration plus the run to compare with, mirrored in the URL hash. */
import { fieldsOf, type FieldInfo } from "../shared/schema";
import { parseState, propsFromFields, serializeState, type Prop, type State } from "../shared/state";
import type { TaskInfo } from "../shared/tasks";
import type { NetSpec } from "../shared/netspec";

/** What the page keeps in the hash beside the configuration. */
export const UI_PROPS: Prop[] = [{ name: "compare", type: "int" }];

/** A dataset as the task's catalogue describes it. */
export interface DatasetInfo {
  title: string;
  description: string;
  shape: number[];
  classes: string[];
  train: number;
  test: number;
  how: string;
}

/** A preset of the catalogue: a network and how to train it. */
export interface CnnPreset {
  id: string;
  label: string;
  description: string;
  params: number;
  config: Record<string, unknown>;
}

/** Fields that may change without ending the current run. */
export const LIVE_FIELDS = ["learning_rate", "compare"];

/** The configuration and page values, with the schema's fields. */
export class CnnState {
  readonly fields: Map<string, FieldInfo>;
  readonly props: Prop[];
  readonly defaults: Record<string, unknown>;
  readonly task: TaskInfo;
  values: State;

  constructor(task: TaskInfo) {
    this.task = task;
    this.fields = fieldsOf(task.schema);
    this.props = [...propsFromFields(this.fields.values()), ...UI_PROPS];
    this.defaults = task.default_config;
    this.values = { ...structuredClone(task.default_config), compare: null } as State;
  }

  readHash(hash: string): void {
    this.values = { ...structuredClone(this.defaults), compare: null, ...parseState(hash, this.props) } as State;
  }

  hash(): string {
    return serializeState(this.values, this.props);
  }

  config(): Record<string, unknown> {
    const config: Record<string, unknown> = {};
    for (const name of this.fields.keys()) if (name in this.values) config[name] = structuredClone(this.values[name]);
    return config;
  }

  get net(): NetSpec {
    return this.values.net as unknown as NetSpec;
  }

  datasets(): Record<string, DatasetInfo> {
    return (this.task.catalogue as { datasets?: Record<string, DatasetInfo> } | undefined)?.datasets ?? {};
  }

  presets(): Record<string, CnnPreset> {
    return (this.task.catalogue as { presets?: Record<string, CnnPreset> } | undefined)?.presets ?? {};
  }
}

/** The network made to take `shape` and end with `classes` scores: the input's shape and the last Linear's outputs change. */
export function fitNet(net: NetSpec, shape: number[], classes: number | null): NetSpec {
  const fitted = structuredClone(net);
  fitted.input = { ...fitted.input, shape: [...shape] };
  const last = fitted.layers[fitted.layers.length - 1];
  if (classes && last?.type === "Linear") last.out_features = classes;
  return fitted;
}
