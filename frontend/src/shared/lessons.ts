/** The lessons strip: each lesson's two preset buttons beside its two-sentence explanation. */
import { h } from "./dom";
import type { Lesson, Preset } from "./presets";

/** Builds the lessons section from the task's lessons; `onPick` loads and trains a preset. */
export function lessonsSection(lessons: Lesson[], onPick: (preset: Preset) => void): HTMLElement {
  return h(
    "section",
    { className: "lessons panel", "aria-labelledby": "lessons-title" },
    h("h2", { id: "lessons-title" }, "Lessons"),
    h(
      "ul",
      { className: "lesson-list" },
      lessons.map((lesson) =>
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
