/** The Style page's state: the task configuration, mirrored in the URL hash. */
import { PageState } from "../shared/state";
import type { TaskInfo } from "../shared/tasks";

/** Fields that may change without ending the current run: the task's live controls (the loss weights). */
export function liveFields(task: TaskInfo): string[] {
  return Object.keys((task.controls?.properties ?? {}) as Record<string, unknown>);
}

/** The Style page's state: the configuration, and each style layer's weight. */
export class StyleState extends PageState {
  /** The configuration to send to the API: an empty second style or weight list means none. */
  override config(): Record<string, unknown> {
    const config = super.config();
    if (!config.style_b) config.style_b = null;
    const weights = config.style_layer_weights;
    if (!Array.isArray(weights) || weights.length !== this.list("style_layers").length) config.style_layer_weights = null;
    return config;
  }

  /** Each style layer's weight (1 where none is set). */
  styleWeights(): Map<string, number> {
    const layers = this.list<string>("style_layers");
    const weights = this.list<number>("style_layer_weights");
    return new Map(layers.map((layer, i) => [layer, weights.length === layers.length ? weights[i] : 1]));
  }
}
