/** The lessons strip: each lesson's two preset buttons beside its two-sentence explanation. */
import { h } from "./dom";
import { LESSONS, type Preset } from "./presets";

/** Builds the lessons section; `onPick` loads and trains a preset. */
export function lessonsSection(onPick: (preset: Preset) => void): HTMLElement {
  return h(
    "section",
    { className: "lessons panel", "aria-labelledby": "lessons-title" },
    h("h2", { id: "lessons-title" }, "Lessons"),
    h(
      "ul",
      { className: "lesson-list" },
      LESSONS.map((lesson) =>
        h(
          "li",
          { className: "lesson" },
          h("h3", {}, lesson.title),
          h(
            "div",
            { className: "lesson-buttons" },
            lesson.presets.map((preset) => {
              const button = h("button", { type: "button", className: "preset", "data-preset": preset.id }, preset.label);
              button.addEventListener("click", () => onPick(preset));
              return button;
            }),
          ),
          h("p", {}, lesson.explanation),
        ),
      ),
    ),
  );
}
