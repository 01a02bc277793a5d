/** How a task's settings are written for people: their names and their values, on the Basics controls and a run's page alike. */
import { choiceText, featureText } from "./fields";

/** Each setting's name in words; a setting not named here is written from its key ("grid_size" → "Grid size"). */
const NAMES: Record<string, string> = {
  dataset: "Dataset",
  problem: "Problem type",
  points: "Your own points",
  n_points: "Points",
  noise: "Noise",
  train_ratio: "Training data",
  features: "Input features",
  hidden: "Hidden layers",
  activation: "Activation",
  learning_rate: "Learning rate",
  optimizer: "Optimizer",
  regularization: "Regularization",
  regularization_rate: "Regularization rate",
  batch_size: "Batch size",
  epochs: "Epochs",
  target_test_loss: "Stop at test loss",
  seed: "Weight seed",
  data_seed: "Data seed",
  emit_every: "Report every (epochs)",
  grid_every: "Pictures every (epochs)",
  grid_size: "Picture size (cells)",
  corpus: "Corpus",
  val_fraction: "Validation part",
  net: "Layers",
  seq_len: "Sequence length",
  steps: "Steps",
  schedule: "Rate schedule",
  weight_decay: "Weight decay",
  grad_clip: "Clip gradients at",
  carry_state: "Carry hidden state",
  report_every: "Report every (steps)",
  eval_every: "Validate every (steps)",
  eval_characters: "Characters per validation",
  sample_every: "Sample every (steps)",
  sample_length: "Sample length",
  sample_temperature: "Sample temperature",
  checkpoint_every: "Checkpoint every (steps)",
  mixed_precision: "Mixed precision (GPU)",
};

/** Settings given in percent. */
const PERCENT = new Set(["noise", "train_ratio"]);

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

/** A setting's name in words. */
export function settingName(key: string): string {
  const words = key.replace(/_/g, " ");
  return NAMES[key] ?? words.charAt(0).toUpperCase() + words.slice(1);
}

/** Writes a choice for people, with a few names spelt as the field spells them. */
export function choiceName(choice: string | number): string {
  return CHOICE_NAMES[String(choice)] ?? choiceText(choice);
}

/** A layer of a specification in one line: "LSTM(hidden_size=128, num_layers=2)". */
export function layerText(layer: object): string {
  const { type, ...args } = layer as Record<string, unknown>;
  const shown = Object.entries(args).filter(([, v]) => typeof v !== "object" || v === null).map(([k, v]) => `${k}=${String(v)}`);
  return `${String(type)}(${shown.join(", ")})`;
}

/** Writes a percent setting's value ("50%"). */
export function percentText(value: number): string {
  return `${value}%`;
}

/**
 * A setting's value for people: a line of text, or a list of short items to show as chips
 * (features as x₁, sin(x₂); hidden sizes as numbers). Missing values and empty lists read "none".
 */
export function settingValue(key: string, value: unknown): string | string[] {
  if (value === null || value === undefined) return "none";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return PERCENT.has(key) ? percentText(value) : String(value);
  if (typeof value === "string") return choiceName(value);
  if (Array.isArray(value)) {
    if (!value.length) return "none";
    if (value.every((item) => item !== null && typeof item === "object" && typeof (item as { type?: unknown }).type === "string")) return value.map(layerText);
    if (value.some((item) => item !== null && typeof item === "object")) return `${value.length} ${key === "points" ? "points" : "items"}`;
    return value.map((item) => (key === "features" ? featureText(String(item)) : typeof item === "string" ? choiceName(item) : String(item)));
  }
  return JSON.stringify(value);
}
