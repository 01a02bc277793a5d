/**
 * The page's whole configuration as one flat object, written to and read from the URL hash.
 *
 * A PROPS table ({name, type}) says how each key is written; the Basics page derives it from
 * the task's JSON Schema and adds its own UI toggles, so a copied address restores the screen.
 */
import type { FieldInfo } from "./schema";

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
