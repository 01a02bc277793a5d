/** One labelled input per layer argument, bounded by the palette's limits. */
import { h, uniqueId } from "./dom";
import type { LayerSpec } from "./netspec";
import type { ArgSpec } from "./palette";

/** Reads "3" as 3 and "3, 5" as [3, 5]; answers undefined for anything else. */
export function parseInts(text: string): number | number[] | undefined {
  const parts = text.split(/[,×x\s]+/).filter(Boolean).map(Number);
  if (!parts.length || !parts.every(Number.isInteger)) return undefined;
  return parts.length === 1 ? parts[0] : parts;
}

/** Clamps a number into an argument's bounds (and to a whole number for int arguments). */
export function clampArg(arg: ArgSpec, value: number): number {
  let result = arg.type === "int" ? Math.round(value) : value;
  if (arg.min !== undefined) result = Math.max(arg.min, result);
  if (arg.max !== undefined) result = Math.min(arg.max, result);
  return result;
}

function describeDefault(arg: ArgSpec): string {
  return arg.default === undefined || arg.default === null ? "" : String(arg.default);
}

/**
 * Builds the labelled input of one argument. Edits write into `layer` and call `onEdit`;
 * `path` ("3.out_features") marks the input so errors can point at it.
 */
export function argumentEditor(layer: LayerSpec, arg: ArgSpec, path: string, disabled: boolean, onEdit: () => void): HTMLElement {
  const id = uniqueId("arg");
  const current = layer[arg.name];
  const set = (value: unknown) => {
    if (value === undefined) delete layer[arg.name];
    else layer[arg.name] = value;
    onEdit();
  };
  let input: HTMLInputElement | HTMLSelectElement;
  if (arg.type === "bool") {
    input = h("input", { id, type: "checkbox", checked: Boolean(current ?? arg.default), disabled });
    input.addEventListener("change", () => set((input as HTMLInputElement).checked));
  } else if (arg.type === "choice") {
    const select = h(
      "select",
      { id, disabled },
      arg.required ? null : h("option", { value: "" }, `default${arg.default !== undefined && arg.default !== null ? ` (${arg.default})` : ""}`),
      (arg.choices ?? []).map((choice) => h("option", { value: String(choice), selected: String(choice) === String(current) }, String(choice))),
    );
    select.addEventListener("change", () => {
      const picked = (arg.choices ?? []).find((c) => String(c) === select.value);
      set(select.value === "" ? undefined : picked);
    });
    input = select;
  } else if (arg.type === "int" || arg.type === "float") {
    input = h("input", {
      id,
      type: "number",
      inputmode: arg.type === "int" ? "numeric" : "decimal",
      min: arg.min,
      max: arg.max,
      step: arg.type === "int" ? 1 : "any",
      value: typeof current === "number" ? current : "",
      placeholder: describeDefault(arg),
      required: arg.required,
      disabled,
    });
    const number = input as HTMLInputElement;
    number.addEventListener("input", () => set(number.value === "" ? undefined : Number(number.value)));
    number.addEventListener("change", () => {
      if (number.value === "") return;
      const clamped = clampArg(arg, Number(number.value));
      if (clamped !== Number(number.value)) {
        number.value = String(clamped);
        set(clamped);
      }
    });
  } else {
    const text = h("input", {
      id,
      type: "text",
      title: arg.choices ? `a number, or one of: ${arg.choices.join(", ")}` : null,
      value: current === undefined ? "" : Array.isArray(current) ? current.join(", ") : String(current),
      placeholder: describeDefault(arg),
      disabled,
      size: 6,
    });
    text.addEventListener("input", () => {
      if (text.value.trim() === "") return set(undefined);
      const word = (arg.choices ?? []).find((choice) => String(choice) === text.value.trim());
      const parsed = word ?? (arg.type === "ints" ? parseInts(text.value) : text.value);
      text.setAttribute("aria-invalid", parsed === undefined ? "true" : "false");
      if (parsed !== undefined) set(parsed);
    });
    input = text;
  }
  input.dataset.argPath = path;
  const bounds = arg.min !== undefined || arg.max !== undefined ? ` (${arg.min ?? ""}–${arg.max ?? ""})` : "";
  return h(
    "div",
    { className: `arg arg-${arg.type}`, title: arg.description || null },
    h("label", { for: id }, arg.name, h("span", { className: "visually-hidden" }, bounds)),
    input,
  );
}
