/** The Basics page's controls, made from the task's schema and placed in the page's groups. */
import { fieldControl, type FieldControl, type FieldOptions } from "../shared/fields";
import { choiceName, percentText, settingName } from "../shared/settingtext";
import type { BasicsState } from "./state";

/** Where the page puts its controls. */
export interface FormSlots {
  hyper: HTMLElement;
  data: HTMLElement;
  stop: HTMLElement;
  more: HTMLElement;
}

interface Placement extends FieldOptions {
  slot: keyof FormSlots;
}

/** Where each known field goes and how it is shown; any other schema field lands in "More settings". */
const PLACEMENT: Record<string, Placement> = {
  learning_rate: { slot: "hyper" },
  activation: { slot: "hyper" },
  regularization: { slot: "hyper" },
  regularization_rate: { slot: "hyper" },
  optimizer: { slot: "hyper" },
  problem: { slot: "hyper" },
  train_ratio: { slot: "data", widget: "range", format: percentText },
  noise: { slot: "data", widget: "range", format: percentText },
  n_points: { slot: "data", widget: "range" },
  batch_size: { slot: "data" },
  epochs: { slot: "stop" },
  target_test_loss: { slot: "stop", widget: "optional-number" },
};

/** Fields drawn elsewhere on the page (dataset picker, network drawing, points panel). */
const DRAWN_ELSEWHERE = new Set(["dataset", "features", "hidden", "points"]);

/** The controls of every configuration field the page does not draw itself. */
export class BasicsForm {
  /** The controls by field name. */
  readonly controls = new Map<string, FieldControl>();

  constructor(state: BasicsState, slots: FormSlots, onChange: (name: string, value: unknown) => void) {
    for (const field of state.fields.values()) {
      if (DRAWN_ELSEWHERE.has(field.name)) continue;
      const placement = PLACEMENT[field.name] ?? { slot: "more" as const };
      const control = fieldControl(field, (value) => onChange(field.name, value), { choiceLabel: choiceName, label: settingName(field.name), ...placement });
      this.controls.set(field.name, control);
      slots[placement.slot].append(control.element);
    }
  }

  /** Shows the state's values in the controls. */
  update(values: Record<string, unknown>): void {
    for (const [name, control] of this.controls) control.setValue(values[name]);
  }

}
