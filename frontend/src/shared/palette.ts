/** The builder's palette: the layer types `GET /api/nets/layers` lists, read into one plain shape. */

/** One argument of a layer type. */
export interface ArgSpec {
  name: string;
  /** "int", "float", "bool", "choice", "ints" (an int or a pair, or a word from `choices`), "layers", "branches". */
  type: string;
  default?: unknown;
  min?: number;
  max?: number;
  choices?: unknown[];
  required: boolean;
  description: string;
}

/** One layer type of the palette. */
export interface LayerTypeSpec {
  type: string;
  description: string;
  category: string;
  args: ArgSpec[];
}

type Loose = Record<string, unknown>;

const TYPE_ALIASES: Record<string, string> = {
  integer: "int",
  number: "float",
  boolean: "bool",
  enum: "choice",
  str: "choice",
  string: "choice",
};

function readArg(name: string, raw: Loose): ArgSpec {
  let type = String(raw.type ?? raw.kind ?? "float").toLowerCase();
  type = TYPE_ALIASES[type] ?? type;
  if (/pair|tuple/.test(type)) type = "ints";
  if (name === "layers" || name === "branches") type = name;
  const rawChoices = raw.choices ?? raw.enum;
  const choices = Array.isArray(rawChoices) ? rawChoices : undefined;
  if (choices && type === "int") type = "ints";
  else if (choices && !["ints", "float", "layers", "branches"].includes(type)) type = "choice";
  const min = raw.min ?? raw.minimum ?? raw.ge;
  const max = raw.max ?? raw.maximum ?? raw.le;
  const spec: ArgSpec = {
    name,
    type,
    required: Boolean(raw.required ?? (!("default" in raw) && type !== "layers" && type !== "branches")),
    description: String(raw.description ?? raw.help ?? ""),
  };
  if (raw.default !== undefined && raw.default !== null) spec.default = raw.default;
  if (typeof min === "number") spec.min = min;
  if (typeof max === "number") spec.max = max;
  if (choices) spec.choices = choices;
  return spec;
}

function readArgs(raw: unknown): ArgSpec[] {
  if (Array.isArray(raw)) return raw.map((item) => readArg(String((item as Loose).name), item as Loose));
  if (raw && typeof raw === "object") return Object.entries(raw as Loose).map(([name, item]) => readArg(name, (item ?? {}) as Loose));
  return [];
}

function readType(name: string, raw: Loose): LayerTypeSpec {
  return {
    type: name,
    description: String(raw.description ?? raw.doc ?? ""),
    category: String(raw.category ?? raw.group ?? ""),
    args: readArgs(raw.args ?? raw.arguments ?? raw.params ?? raw.parameters),
  };
}

/** Reads the palette answer: a list of types, or an object keyed by type (possibly under `layers`). */
export function parsePalette(json: unknown): LayerTypeSpec[] {
  let body = json;
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const record = body as Loose;
    body = record.layers ?? record.types ?? record.palette ?? record;
  }
  if (Array.isArray(body)) return body.map((item) => readType(String((item as Loose).type ?? (item as Loose).name), item as Loose));
  if (body && typeof body === "object") return Object.entries(body as Loose).map(([name, item]) => readType(name, item as Loose));
  return [];
}

/** Finds a palette type by name, ignoring case ("relu" finds "ReLU"). */
export function findType(palette: LayerTypeSpec[], name: string): LayerTypeSpec | undefined {
  const wanted = name.toLowerCase();
  return palette.find((t) => t.type === name) ?? palette.find((t) => t.type.toLowerCase() === wanted);
}

/** A new layer of a type: its required arguments at their defaults or lower bounds, the rest left to their defaults. */
export function newLayer(spec: LayerTypeSpec): { type: string; [argument: string]: unknown } {
  const layer: { type: string; [argument: string]: unknown } = { type: spec.type };
  for (const arg of spec.args) {
    if (arg.type === "layers") layer.layers = [];
    else if (arg.type === "branches") layer.branches = Array.from({ length: Math.max(2, arg.min ?? 2) }, () => []);
    else if (arg.required) {
      layer[arg.name] = arg.default ?? (arg.type === "choice" ? arg.choices?.[0] : arg.type === "bool" ? false : Math.max(1, arg.min ?? 1));
    }
  }
  return layer;
}
