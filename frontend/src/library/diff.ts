/**
 * Two runs' configurations compared as structure, not text: which settings changed, and which
 * layers of the network were added, removed or given other arguments (layers matched by type
 * in order, as a weighted longest common subsequence, so an inserted layer does not shift every other).
 */

/** A layer of a network spec (its type and its arguments; blocks keep their insides as arguments). */
export type Layer = Record<string, unknown> & { type: string };

/** One difference between a baseline and another configuration. */
export type Change =
  | { kind: "setting"; name: string; from: unknown; to: unknown }
  | { kind: "added"; index: number; layer: Layer }
  | { kind: "removed"; index: number; layer: Layer }
  | { kind: "argument"; index: number; type: string; name: string; from: unknown; to: unknown };

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Pairs of indices (i in a, j in b) of layers matched by type, in order: the most matches, and
 * among those the most identical layers (so an inserted layer leaves the others paired as they were).
 */
export function matchLayers(a: Layer[], b: Layer[]): [number, number][] {
  const weight = (i: number, j: number) => (a[i].type !== b[j].type ? -1 : same(a[i], b[j]) ? 3 : 2);
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const w = weight(i, j);
      table[i][j] = Math.max(table[i + 1][j], table[i][j + 1], w > 0 ? table[i + 1][j + 1] + w : 0);
    }
  }
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const w = weight(i, j);
    if (w > 0 && table[i][j] === table[i + 1][j + 1] + w) pairs.push([i++, j++]);
    else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  return pairs;
}

/** The layer changes from `a` to `b`: removed, added, and arguments changed in matched layers. */
export function layerChanges(a: Layer[], b: Layer[]): Change[] {
  const pairs = matchLayers(a, b);
  const matchedA = new Set(pairs.map(([i]) => i));
  const matchedB = new Set(pairs.map(([, j]) => j));
  const changes: Change[] = [];
  a.forEach((layer, index) => matchedA.has(index) || changes.push({ kind: "removed", index, layer }));
  b.forEach((layer, index) => matchedB.has(index) || changes.push({ kind: "added", index, layer }));
  for (const [i, j] of pairs) {
    const names = new Set([...Object.keys(a[i]), ...Object.keys(b[j])].filter((name) => name !== "type"));
    for (const name of names) {
      if (!same(a[i][name], b[j][name])) changes.push({ kind: "argument", index: j, type: b[j].type, name, from: a[i][name], to: b[j][name] });
    }
  }
  return changes;
}

/** The settings whose values differ between `a` and `b`, in `a`'s order then `b`'s new ones. */
export function settingChanges(a: Record<string, unknown>, b: Record<string, unknown>): Change[] {
  const names = [...Object.keys(a), ...Object.keys(b).filter((name) => !(name in a))];
  return names.filter((name) => !same(a[name], b[name])).map((name) => ({ kind: "setting", name, from: a[name], to: b[name] }));
}

/** A value in a few characters: lists joined, null as "none". */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return "none";
  if (Array.isArray(value)) return value.length ? `[${value.map(valueText).join(", ")}]` : "[]";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** A layer in words: "Linear (out_features 8)". */
export function layerText(layer: Layer): string {
  const args = Object.entries(layer).filter(([name]) => name !== "type").map(([name, value]) => `${name} ${valueText(value)}`);
  return args.length ? `${layer.type} (${args.join(", ")})` : layer.type;
}

/** One change as a sentence (layers counted from 1). */
export function changeText(change: Change): string {
  switch (change.kind) {
    case "setting":
      return `${change.name}: ${valueText(change.from)} → ${valueText(change.to)}`;
    case "added":
      return `layer ${change.index + 1} added: ${layerText(change.layer)}`;
    case "removed":
      return `layer ${change.index + 1} removed: ${layerText(change.layer)}`;
    case "argument":
      return `layer ${change.index + 1} (${change.type}) ${change.name}: ${valueText(change.from)} → ${valueText(change.to)}`;
  }
}
