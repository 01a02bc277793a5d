/** Characters written for people: spaces, line breaks and tabs made visible where a single character is shown. */

const NAMES: Record<string, string> = { " ": "space", "\n": "newline", "\t": "tab" };
const GLYPHS: Record<string, string> = { " ": "␣", "\n": "⏎", "\t": "⇥" };

/** A character's name for a label ("space", "newline", "a"). */
export function charName(char: string): string {
  return NAMES[char] ?? char;
}

/** A character as one visible glyph ("␣" for a space). */
export function charGlyph(char: string): string {
  return GLYPHS[char] ?? char;
}

/** A count of characters in words: "1,115,394 characters". */
export function charCount(count: number): string {
  return `${count.toLocaleString("en-US")} character${count === 1 ? "" : "s"}`;
}
