/** The Basics page's controls, made from the task's schema and placed in the page's groups. */
import type { ApiProblem } from "./api";
import type { BasicsState } from "./basicsstate";
import { choiceText, fieldControl, type FieldControl, type FieldOptions } from "./fields";

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

const percent = (value: number) => `${value}%`;

/** Where each known field goes and how it is labelled; any other schema field lands in "More settings". */
const PLACEMENT: Record<string, Placement> = {
  learning_rate: { slot: "hyper", label: "Learning rate" },
  activation: { slot: "hyper", label: "Activation" },
  regularization: { slot: "hyper", label: "Regularization" },
  regularization_rate: { slot: "hyper", label: "Regularization rate" },
  optimizer: { slot: "hyper", label: "Optimizer" },
  problem: { slot: "hyper", label: "Problem type" },
  train_ratio: { slot: "data", widget: "range", label: "Training data", format: percent },
  noise: { slot: "data", widget: "range", label: "Noise", format: percent },
  n_points: { slot: "data", widget: "range", label: "Points" },
  batch_size: { slot: "data", label: "Batch size" },
  epochs: { slot: "stop", label: "Epochs" },
  target_test_loss: { slot: "stop", widget: "optional-number", label: "Stop at test loss" },
};

/** Fields drawn elsewhere on the page (dataset picker, network drawing, points panel). */
const DRAWN_ELSEWHERE = new Set(["dataset", "features", "hidden", "points"]);

const CHOICE_NAMES: Record<string, string> = {
  relu: "ReLU",
  tanh: "Tanh",
  sgd: "SGD",
  l1: "L1",
  l2: "L2",
  none: "None",
  three: "Three classes",
  plane: "Plane (regression)",
};

/** Writes a choice for people, with a few names spelt as the field spells them. */
export function choiceName(choice: string | number): string {
  return CHOICE_NAMES[String(choice)] ?? choiceText(choice);
}

/** The controls of every configuration field the page does not draw itself. */
export class BasicsForm {
  /** The controls by field name. */
  readonly controls = new Map<string, FieldControl>();

  constructor(state: BasicsState, slots: FormSlots, onChange: (name: string, value: unknown) => void) {
    for (const field of state.fields.values()) {
      if (DRAWN_ELSEWHERE.has(field.name)) continue;
      const placement = PLACEMENT[field.name] ?? { slot: "more" as const };
      const control = fieldControl(field, (value) => onChange(field.name, value), { choiceLabel: choiceName, ...placement });
      this.controls.set(field.name, control);
      slots[placement.slot].append(control.element);
    }
  }

  /** Shows the state's values in the controls. */
  update(values: Record<string, unknown>): void {
    for (const [name, control] of this.controls) control.setValue(values[name]);
  }

  /** Puts each `config.<field>` problem on its control; answers the problems no control took. */
  showErrors(problems: ApiProblem[]): ApiProblem[] {
    const byField = new Map<string, string[]>();
    const rest: ApiProblem[] = [];
    for (const problem of problems) {
      const name = problem.path.replace(/^config\./, "").split(".")[0];
      if (problem.path.startsWith("config.") && this.controls.has(name)) byField.set(name, [...(byField.get(name) ?? []), problem.message]);
      else rest.push(problem);
    }
    for (const [name, control] of this.controls) control.setError((byField.get(name) ?? []).join(" "));
    return rest;
  }
}
