/** Teaching presets: one click loads a configuration that makes one point. The server keeps them (a task's catalogue). */

/** One preset: a button's text, the configuration fields it changes, and the UI toggles it sets. */
export interface Preset {
  id: string;
  label: string;
  config: Record<string, unknown>;
  ui?: Record<string, boolean>;
}

/** A lesson: two presets side by side and two sentences saying what to look for. */
export interface Lesson {
  title: string;
  explanation: string;
  presets: Preset[];
}

/** A preset's fields over a task's default configuration. */
export function presetConfig(preset: Preset, defaults: Record<string, unknown>): Record<string, unknown> {
  return { ...structuredClone(defaults), ...structuredClone(preset.config) };
}
