/** Labelled form controls made from schema fields: bounds, choices and help come from the schema. */
import type { ApiProblem } from "./api";
import { h, uniqueId } from "./dom";
import { clampTo, stepFor, type FieldInfo } from "./schema";

/** How a field is shown. */
export type Widget = "number" | "range" | "select" | "checkbox" | "optional-number";

/** A rendered control: its element, and ways to set its value and its error. */
export interface FieldControl {
  field: FieldInfo;
  element: HTMLElement;
  input: HTMLInputElement | HTMLSelectElement;
  setValue(value: unknown): void;
  setError(message: string): void;
  setDisabled(disabled: boolean): void;
}

/** Options of one control. */
export interface FieldOptions {
  widget?: Widget;
  label?: string;
  /** Text of a choice in a select. */
  choiceLabel?: (choice: string | number) => string;
  /** Formats a range's value beside it. */
  format?: (value: number) => string;
  /** Upper bound narrower than the schema's, for a usable slider. */
  sliderMax?: number;
}

/** The widget that suits a field when the page does not choose one. */
export function defaultWidget(field: FieldInfo): Widget {
  if (field.choices) return "select";
  if (field.kind === "boolean") return "checkbox";
  if (field.nullable) return "optional-number";
  return "number";
}

/** Builds one labelled control; `onChange` gets the parsed value (null for an emptied optional number). */
export function fieldControl(field: FieldInfo, onChange: (value: unknown) => void, options: FieldOptions = {}): FieldControl {
  const id = uniqueId(`field-${field.name}`);
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const widget = options.widget ?? defaultWidget(field);
  const describedBy = `${helpId} ${errorId}`;
  const error = h("p", { className: "field-error", id: errorId });
  const help = h("span", { className: "visually-hidden", id: helpId }, field.description);
  const label = options.label ?? field.title;
  let input: HTMLInputElement | HTMLSelectElement;
  let output: HTMLOutputElement | null = null;

  if (widget === "select") {
    input = h("select", { id, "aria-describedby": describedBy }, (field.choices ?? []).map((choice) => h("option", { value: String(choice) }, options.choiceLabel?.(choice) ?? String(choice))));
    input.addEventListener("change", () => onChange(field.choices?.find((c) => String(c) === input.value) ?? input.value));
  } else if (widget === "checkbox") {
    input = h("input", { id, type: "checkbox", "aria-describedby": describedBy });
    input.addEventListener("change", () => onChange((input as HTMLInputElement).checked));
  } else {
    const max = widget === "range" ? Math.min(field.maximum ?? 100, options.sliderMax ?? Infinity) : field.maximum;
    input = h("input", {
      id,
      type: widget === "range" ? "range" : "number",
      min: field.minimum,
      max,
      step: widget === "range" && field.kind !== "integer" ? (max! - (field.minimum ?? 0)) / 100 : stepFor(field),
      placeholder: widget === "optional-number" ? "none" : null,
      "aria-describedby": describedBy,
    });
    const number = input as HTMLInputElement;
    if (widget === "range") {
      output = h("output", { for: id });
      number.addEventListener("input", () => {
        output!.textContent = options.format?.(Number(number.value)) ?? number.value;
        onChange(Number(number.value));
      });
    } else {
      number.addEventListener("change", () => {
        if (number.value === "") return onChange(field.nullable ? null : field.default ?? null);
        const clamped = clampTo(field, Number(number.value));
        number.value = String(clamped);
        onChange(clamped);
      });
    }
  }

  const element = h(
    "div",
    { className: `field field-${widget}`, title: field.description || null, "data-field": field.name },
    widget === "checkbox" ? [input, h("label", { for: id }, label)] : [h("label", { for: id }, label, output), input],
    help,
    error,
  );
  return {
    field,
    element,
    input,
    setValue(value: unknown) {
      if (widget === "checkbox") (input as HTMLInputElement).checked = Boolean(value);
      else input.value = value === null || value === undefined ? "" : String(value);
      if (output) output.textContent = options.format?.(Number(input.value)) ?? input.value;
    },
    setError(message: string) {
      error.textContent = message;
      input.setAttribute("aria-invalid", message ? "true" : "false");
      element.classList.toggle("has-error", Boolean(message));
    },
    setDisabled(disabled: boolean) {
      input.disabled = disabled;
    },
  };
}

/**
 * Puts each API problem about a configuration field (`config.<name>…`) on that field's control,
 * clearing the others; answers the problems no control shows.
 */
export function showFieldErrors(controls: Map<string, FieldControl>, problems: ApiProblem[]): ApiProblem[] {
  const byField = new Map<string, string[]>();
  const rest: ApiProblem[] = [];
  for (const problem of problems) {
    const name = problem.path.replace(/^config\./, "").split(".")[0];
    if (problem.path.startsWith("config.") && controls.has(name)) byField.set(name, [...(byField.get(name) ?? []), problem.message]);
    else rest.push(problem);
  }
  for (const [name, control] of controls) control.setError((byField.get(name) ?? []).join(" "));
  return rest;
}

/** Writes a schema choice for people: "xor" → "XOR", "three" → "Three", "sgd" → "SGD". */
export function choiceText(choice: string | number): string {
  const text = String(choice);
  if (text.length <= 3) return text.toUpperCase();
  return text.charAt(0).toUpperCase() + text.slice(1).replace(/_/g, " ");
}

/** Writes a feature name for people: "x1sq" → "x₁²", "sinx2" → "sin(x₂)", "x1x2" → "x₁x₂". */
export function featureText(name: string): string {
  const subscript = (text: string) => text.replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[Number(d)]);
  const sine = /^sin(.+)$/.exec(name);
  if (sine) return `sin(${featureText(sine[1])})`;
  return subscript(name.replace(/sq$/, "²"));
}
