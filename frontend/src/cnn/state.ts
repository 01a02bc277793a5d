/** The CNN page's state: the task configuration plus the run to compare with, mirrored in the URL hash. */
import { PageState, type Prop } from "../shared/state";
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

/** The CNN page's state: the configuration and the run compared with, and the catalogue's datasets and presets. */
export class CnnState extends PageState {
  constructor(task: TaskInfo) {
    super(task, UI_PROPS, { compare: null });
  }

  /** The network the configuration trains. */
  get net(): NetSpec {
    return this.values.net as unknown as NetSpec;
  }

  /** The catalogue's datasets. */
  datasets(): Record<string, DatasetInfo> {
    return (this.task.catalogue as { datasets?: Record<string, DatasetInfo> } | undefined)?.datasets ?? {};
  }

  /** The catalogue's presets (classic networks). */
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
