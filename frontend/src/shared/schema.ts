/** Reads a task's JSON Schema (as pydantic writes it) into plain field descriptions for forms. */

/** A JSON Schema node, loosely typed. */
export type SchemaNode = Record<string, unknown>;

/** What a form needs to know about one configuration field. */
export interface FieldInfo {
  name: string;
  title: string;
  description: string;
  kind: "number" | "integer" | "string" | "boolean" | "array" | "object";
  nullable: boolean;
  choices?: (string | number)[];
  minimum?: number;
  maximum?: number;
  item?: FieldInfo;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
}

function resolve(node: SchemaNode, root: SchemaNode): SchemaNode {
  let current = node;
  for (let depth = 0; depth < 10 && typeof current.$ref === "string"; depth++) {
    const parts = (current.$ref as string).replace(/^#\//, "").split("/");
    let target: unknown = root;
    for (const part of parts) target = (target as SchemaNode | undefined)?.[part];
    const { $ref: _ignored, ...rest } = current;
    current = { ...(target as SchemaNode), ...rest };
  }
  if (Array.isArray(current.allOf) && current.allOf.length === 1) {
    const { allOf, ...rest } = current;
    current = { ...resolve(allOf[0] as SchemaNode, root), ...rest };
  }
  return current;
}

function titleFromName(name: string): string {
  const words = name.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Describes one schema node; `name` is the field's key. */
export function describeField(name: string, raw: SchemaNode, root: SchemaNode): FieldInfo {
  let node = resolve(raw, root);
  let nullable = false;
  const variants = (node.anyOf ?? node.oneOf) as SchemaNode[] | undefined;
  if (Array.isArray(variants)) {
    const concrete = variants.map((v) => resolve(v, root)).filter((v) => v.type !== "null");
    nullable = concrete.length < variants.length;
    const { anyOf: _a, oneOf: _o, ...rest } = node;
    node = { ...(concrete[0] ?? {}), ...rest };
  }
  let type = node.type;
  if (Array.isArray(type)) {
    nullable = nullable || type.includes("null");
    type = type.find((t) => t !== "null");
  }
  const choices = Array.isArray(node.enum) ? (node.enum as (string | number)[]) : node.const !== undefined ? [node.const as string] : undefined;
  const kind = (typeof type === "string" ? type : choices && typeof choices[0] === "number" ? "number" : "string") as FieldInfo["kind"];
  const info: FieldInfo = {
    name,
    title: typeof node.title === "string" ? node.title : titleFromName(name),
    description: typeof node.description === "string" ? node.description : "",
    kind,
    nullable,
  };
  if (choices) info.choices = choices;
  const minimum = node.minimum ?? node.exclusiveMinimum;
  const maximum = node.maximum ?? node.exclusiveMaximum;
  if (typeof minimum === "number") info.minimum = minimum;
  if (typeof maximum === "number") info.maximum = maximum;
  if (kind === "array" && node.items && typeof node.items === "object") {
    info.item = describeField(name, node.items as SchemaNode, root);
  }
  if (typeof node.minItems === "number") info.minItems = node.minItems;
  if (typeof node.maxItems === "number") info.maxItems = node.maxItems;
  if ("default" in node) info.default = node.default;
  return info;
}

/** Describes every top-level property of an object schema, in the schema's order. */
export function fieldsOf(schema: SchemaNode): Map<string, FieldInfo> {
  const root = resolve(schema, schema);
  const properties = (root.properties ?? {}) as Record<string, SchemaNode>;
  const fields = new Map<string, FieldInfo>();
  for (const [name, node] of Object.entries(properties)) fields.set(name, describeField(name, node, schema));
  return fields;
}

/** A step for a number input that suits the field's range. */
export function stepFor(field: FieldInfo): string {
  if (field.kind === "integer") return "1";
  const span = (field.maximum ?? 1) - (field.minimum ?? 0);
  if (span <= 0.1) return "0.0001";
  if (span <= 1) return "0.001";
  return "any";
}

/** Clamps a number into the field's bounds. */
export function clampTo(field: FieldInfo, value: number): number {
  let result = field.kind === "integer" ? Math.round(value) : value;
  if (field.minimum !== undefined) result = Math.max(field.minimum, result);
  if (field.maximum !== undefined) result = Math.min(field.maximum, result);
  return result;
}
