/**
 * Plain forms for the account and classroom pages: labelled inputs, each API problem shown
 * under the field its path names, the rest in an alert above the button.
 */
import { ApiError, type ApiProblem } from "./api";
import { h, uniqueId, type Attrs } from "./dom";

/** One input of a form. */
export interface FormField {
  name: string;
  label: string;
  type?: string;
  value?: string;
  hint?: string;
  attrs?: Attrs;
  /** A select's options as [value, words]. */
  options?: [string, string][];
  /** A textarea instead of an input. */
  multiline?: boolean;
}

/** A form whose submit calls `submit` with the values; problems it throws land on their fields. */
export class ApiForm {
  /** The form element. */
  readonly element: HTMLFormElement;
  /** The inputs by name. */
  readonly inputs = new Map<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>();
  private readonly errors = new Map<string, HTMLElement>();
  private readonly alert: HTMLElement;
  private readonly button: HTMLButtonElement;

  constructor(fields: FormField[], submitLabel: string, submit: (values: Record<string, string>) => Promise<void>, extra: Node[] = []) {
    this.alert = h("div", { className: "form-alert", role: "alert" });
    this.button = h("button", { type: "submit", className: "primary" }, submitLabel);
    const rows = fields.map((field) => this.row(field));
    this.element = h("form", { className: "api-form", novalidate: true }, rows, extra, this.alert, this.button);
    this.element.addEventListener("submit", async (event) => {
      event.preventDefault();
      this.show([]);
      this.button.disabled = true;
      try {
        await submit(this.values());
      } catch (error) {
        this.show(error instanceof ApiError ? error.errors : [{ path: "", message: String(error) }]);
      } finally {
        this.button.disabled = false;
      }
    });
  }

  private row(field: FormField): HTMLElement {
    const id = uniqueId(`form-${field.name}`);
    const error = h("p", { className: "field-error", id: `${id}-error` });
    const common = { id, name: field.name, "aria-describedby": `${id}-error`, ...(field.attrs ?? {}) };
    let input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    if (field.options) {
      input = h("select", common, field.options.map(([value, words]) => h("option", { value, selected: value === field.value }, words)));
    } else if (field.multiline) {
      input = h("textarea", { ...common, rows: 5 });
      input.value = field.value ?? "";
    } else {
      input = h("input", { ...common, type: field.type ?? "text", value: field.value ?? "" });
    }
    this.inputs.set(field.name, input);
    this.errors.set(field.name, error);
    const checkbox = field.type === "checkbox";
    return h("div", { className: `field${checkbox ? " field-checkbox" : ""}`, "data-form-field": field.name },
      checkbox ? [input, h("label", { for: id }, field.label)] : [h("label", { for: id }, field.label), input],
      field.hint ? h("p", { className: "hint" }, field.hint) : null, error);
  }

  /** The current values by name ("on" or "" for checkboxes). */
  values(): Record<string, string> {
    const values: Record<string, string> = {};
    for (const [name, input] of this.inputs) values[name] = input instanceof HTMLInputElement && input.type === "checkbox" ? (input.checked ? "on" : "") : input.value;
    return values;
  }

  /** Shows problems: on their field when the path names one, else above the button. */
  show(problems: ApiProblem[]): void {
    const rest: string[] = [];
    for (const error of this.errors.values()) error.textContent = "";
    for (const input of this.inputs.values()) input.removeAttribute("aria-invalid");
    for (const problem of problems) {
      const name = problem.path.split(".")[0];
      const error = this.errors.get(name);
      if (error) {
        error.textContent = `${error.textContent} ${problem.message}`.trim();
        this.inputs.get(name)?.setAttribute("aria-invalid", "true");
      } else rest.push(problem.message);
    }
    this.alert.textContent = rest.join(" ");
  }
}

/** The page's arguments, as the server writes them into its HTML. */
export function pageArgs(): Record<string, string | number> {
  const element = document.getElementById("page-args");
  return element?.textContent ? (JSON.parse(element.textContent) as Record<string, string | number>) : {};
}

/** Formats an ISO time for people, or "–". */
export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : "–";
}
