/**
 * The page's whole configuration as one flat object, written to and read from the URL hash.
 *
 * A PROPS table ({name, type}) says how each key is written; a task's page derives it from
 * the task's JSON Schema and adds its own keys (UI toggles, a run to compare with), so a
 * copied address restores the screen. `PageState` is that object with its table.
 */
import { fieldsOf, type FieldInfo } from "./schema";
import type { TaskInfo } from "./tasks";

/** How one key is written in the hash. */
export type PropType = "number" | "int" | "string" | "boolean" | "strings" | "numbers" | "points" | "json";

/** One entry of the PROPS table. */
export interface Prop {
  name: string;
  type: PropType;
}

/** A value the hash can hold. */
export type StateValue = number | string | boolean | null | string[] | number[] | number[][] | object;

/** The flat state: key → value. */
export type State = Record<string, StateValue>;

const POINT_DIGITS = 3;

function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%2C/gi, ",").replace(/%3A/gi, ":").replace(/%3B/gi, ";");
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Writes one value as hash text for its type. */
export function writeValue(type: PropType, value: StateValue): string {
  if (value === null || value === undefined) return "";
  switch (type) {
    case "boolean":
      return value ? "1" : "0";
    case "strings":
    case "numbers":
      return (value as unknown[]).join(",");
    case "points":
      return (value as number[][]).map((p) => p.map((n) => round(n, POINT_DIGITS)).join(":")).join(";");
    case "json":
      return JSON.stringify(value);
    default:
      return String(value);
  }
}

/** Reads one value from hash text; answers undefined when the text does not fit the type. */
export function readValue(type: PropType, text: string): StateValue | undefined {
  switch (type) {
    case "number":
    case "int": {
      if (text === "") return null;
      const number = Number(text);
      if (!Number.isFinite(number) || (type === "int" && !Number.isInteger(number))) return undefined;
      return number;
    }
    case "boolean":
      return text === "1" || text === "true" ? true : text === "0" || text === "false" ? false : undefined;
    case "strings":
      return text === "" ? [] : text.split(",");
    case "numbers": {
      if (text === "") return [];
      const numbers = text.split(",").map(Number);
      return numbers.every(Number.isFinite) ? numbers : undefined;
    }
    case "points": {
      if (text === "") return null;
      const points = text.split(";").map((p) => p.split(":").map(Number));
      return points.every((p) => p.length === 3 && p.every(Number.isFinite)) ? points : undefined;
    }
    case "json":
      try {
        return JSON.parse(text) as StateValue;
      } catch {
        return undefined;
      }
    default:
      return text;
  }
}

/** Writes the state as hash text ("dataset=xor&noise=0.1&..."), in PROPS order. */
export function serializeState(state: State, props: Prop[]): string {
  const parts: string[] = [];
  for (const prop of props) {
    if (!(prop.name in state)) continue;
    parts.push(`${prop.name}=${encodeValue(writeValue(prop.type, state[prop.name]))}`);
  }
  return parts.join("&");
}

/** Reads hash text into a partial state; unknown keys and malformed values are left out. */
export function parseState(hash: string, props: Prop[]): State {
  const types = new Map(props.map((p) => [p.name, p.type]));
  const state: State = {};
  for (const part of hash.replace(/^#/, "").split("&")) {
    if (!part) continue;
    const index = part.indexOf("=");
    const name = index < 0 ? part : part.slice(0, index);
    const type = types.get(name);
    if (!type) continue;
    let text: string;
    try {
      text = decodeURIComponent(index < 0 ? "" : part.slice(index + 1));
    } catch {
      continue;
    }
    const value = readValue(type, text);
    if (value !== undefined) state[name] = value;
  }
  return state;
}

/** The hash type that suits a schema field. */
export function propTypeFor(field: FieldInfo): PropType {
  switch (field.kind) {
    case "integer":
      return "int";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "string":
      return "string";
    case "array": {
      const item = field.item;
      if (item?.kind === "array") return item.item && ["number", "integer"].includes(item.item.kind) ? "points" : "json";
      if (item?.kind === "string") return "strings";
      if (item?.kind === "number" || item?.kind === "integer") return "numbers";
      return "json";
    }
    default:
      return "json";
  }
}

/** Derives a PROPS table from a task's fields. */
export function propsFromFields(fields: Iterable<FieldInfo>): Prop[] {
  return [...fields].map((field) => ({ name: field.name, type: propTypeFor(field) }));
}

/**
 * A task page's state: the schema's fields, the PROPS table (the fields, then the page's own
 * keys), the task's defaults and the current values. A page adds what is its own by extending it.
 */
export class PageState {
  /** The task as the API lists it. */
  readonly task: TaskInfo;
  /** The configuration fields, from the schema. */
  readonly fields: Map<string, FieldInfo>;
  /** The hash table: configuration fields, then the page's own keys. */
  readonly props: Prop[];
  /** The task's defaults. */
  readonly defaults: Record<string, unknown>;
  /** The starting values of the page's own keys, which the hash carries and a run's configuration does not. */
  readonly pageDefaults: State;
  /** The current values. */
  values: State;
  /** The hash the page last wrote, so that its own write is not read back as a visitor's change. */
  private written = "";

  constructor(task: TaskInfo, pageProps: Prop[] = [], pageDefaults: State = {}) {
    this.task = task;
    this.fields = fieldsOf(task.schema);
    this.props = [...propsFromFields(this.fields.values()), ...pageProps];
    this.defaults = task.default_config;
    this.pageDefaults = pageDefaults;
    this.values = this.startingValues();
  }

  private startingValues(base: Record<string, unknown> = {}): State {
    return { ...structuredClone(this.defaults), ...structuredClone(this.pageDefaults), ...structuredClone(base) } as State;
  }

  /** Replaces the values with defaults (or `base` over them: an assignment's settings) overlaid by what the hash says. */
  readHash(hash: string, base: Record<string, unknown> = {}): void {
    this.values = { ...this.startingValues(base), ...parseState(hash, this.props) };
  }

  /** The hash text of the current values. */
  hash(): string {
    return serializeState(this.values, this.props);
  }

  /** Writes the values to the address, replacing it (Back leaves the page rather than undoing a setting). */
  writeAddress(): void {
    this.written = this.hash();
    if (location.hash.replace(/^#/, "") !== this.written) history.replaceState(null, "", `#${this.written}`);
  }

  /** Whether a hash is the one the page last wrote (its own write coming back as a `hashchange`). */
  isOwnHash(hash: string): boolean {
    return hash.replace(/^#/, "") === this.written;
  }

  /** The configuration to send to the API: the schema's fields, none of the page's own keys. */
  config(): Record<string, unknown> {
    const config: Record<string, unknown> = {};
    for (const name of this.fields.keys()) if (name in this.values) config[name] = structuredClone(this.values[name]);
    return config;
  }

  /** A list value (empty when missing). */
  list<T>(name: string): T[] {
    return Array.isArray(this.values[name]) ? (this.values[name] as T[]) : [];
  }
}
