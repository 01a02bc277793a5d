/** The colour language of every page: orange for negative, blue for positive, one colour per class. */

/** An RGB triple, each 0–255. */
export type Rgb = [number, number, number];

/** The colour of negative values (and of class 0 in binary problems). */
export const NEGATIVE: Rgb = [232, 131, 28];
/** The colour of values near zero. */
export const NEUTRAL: Rgb = [246, 246, 244];
/** The colour of positive values (and of class 1 in binary problems). */
export const POSITIVE: Rgb = [22, 110, 181];

/** Colours of classes 0, 1, 2, …; the first two agree with NEGATIVE and POSITIVE. */
export const CLASS_COLORS: readonly Rgb[] = [
  NEGATIVE,
  POSITIVE,
  [46, 150, 90],
  [142, 84, 178],
  [200, 62, 77],
  [110, 110, 110],
  [176, 140, 20],
  [20, 160, 170],
];

/** Named CSS colours for lines in charts. */
export const SERIES_COLORS = {
  train: "#3a4450",
  test: "#d9682b",
  grad: ["#166eb5", "#e8831c", "#2e965a", "#8e54b2", "#c83e4d", "#6e6e6e", "#b08c14", "#14a0aa"],
} as const;

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** The diverging colour of a value in [-1, 1] (clamped): orange, near-white, blue. */
export function diverging(value: number): Rgb {
  const v = Number.isFinite(value) ? Math.max(-1, Math.min(1, value)) : 0;
  return v < 0 ? mix(NEUTRAL, NEGATIVE, -v) : mix(NEUTRAL, POSITIVE, v);
}

/** A class colour faded toward white by (1 − confidence). */
export function classShade(index: number, confidence: number): Rgb {
  const colour = CLASS_COLORS[((index % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length];
  return mix(NEUTRAL, colour, Math.max(0, Math.min(1, confidence)));
}

/** Writes an RGB triple as a CSS colour. */
export function css(rgb: Rgb, alpha = 1): string {
  const [r, g, b] = rgb.map((c) => Math.round(c));
  return alpha === 1 ? `rgb(${r} ${g} ${b})` : `rgb(${r} ${g} ${b} / ${alpha})`;
}
