// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { fieldControl, showFieldErrors, type FieldControl } from "../../src/shared/fields";
import { fieldsOf } from "../../src/shared/schema";

const FIELDS = fieldsOf({ type: "object", properties: { learning_rate: { type: "number" }, hidden: { type: "array", items: { type: "integer" } } } });

describe("API problems on their controls", () => {
  it("puts each field's problems on its control and answers the rest", () => {
    const controls = new Map<string, FieldControl>([...FIELDS.values()].map((field) => [field.name, fieldControl(field, () => undefined)]));
    const rest = showFieldErrors(controls, [
      { path: "config.learning_rate", message: "too large" },
      { path: "config.hidden.1", message: "at most 8" },
      { path: "config.hidden.0", message: "at least 1" },
      { path: "config.net", message: "no such layer" },
      { path: "", message: "try later" },
    ]);
    expect(rest.map((p) => p.path)).toEqual(["config.net", ""]);
    const error = (name: string) => controls.get(name)!.element.querySelector(".field-error")!.textContent;
    expect([error("learning_rate"), error("hidden")]).toEqual(["too large", "at most 8 at least 1"]);
    expect(controls.get("hidden")!.input.getAttribute("aria-invalid")).toBe("true");
    showFieldErrors(controls, []);
    expect([error("learning_rate"), error("hidden")]).toEqual(["", ""]);
  });
});
