/** The network specification (docs/api.md, "Networks") as TypeScript types, and the server's inspection of a stack. */
import { apiPost } from "./api";
import { memoByBody } from "./memo";

/** One layer: its torch.nn type name and arguments; blocks nest `layers` or `branches`. */
export interface LayerSpec {
  type: string;
  layers?: LayerSpec[];
  branches?: LayerSpec[][];
  [argument: string]: unknown;
}

/** A whole stack: input shape and layers. */
export interface NetSpec {
  version: 1;
  input: { shape: number[] };
  layers: LayerSpec[];
}

/** One layer's line in an inspection. */
export interface InspectedLayer {
  path: string;
  type: string;
  output_shape: number[];
  params: number;
  macs?: number;
}

/** What `POST /api/nets/inspect` answers. */
export interface InspectResult {
  layers: InspectedLayer[];
  input_shape: number[];
  output_shape: number[];
  total_params: number;
  total_macs?: number;
  param_bytes?: number;
  activation_bytes?: number;
  batch_size?: number;
}

const askInspection = memoByBody((body: { net: NetSpec }) => apiPost<InspectResult>("nets/inspect", body));

/** Asks the server to inspect a stack; a stack asked about before is answered from memory. */
export function inspectNet(net: NetSpec): Promise<InspectResult> {
  return askInspection({ net });
}

/** Writes a shape as "16 × 5 × 5". */
export function formatShape(shape: number[] | undefined): string {
  return shape && shape.length ? shape.join(" × ") : "–";
}

/** Normalises an error path from the API to a path inside the stack ("net.layers.3.x" → "3.x"). */
export function stackPath(path: string): string {
  return path.replace(/^(config\.)?(net\.)?/, "").replace(/^layers\./, "");
}

/** Finds the deepest layer path (as rendered) that an error path points into. */
export function ownerPath(path: string, layerPaths: Set<string>): string | null {
  const parts = stackPath(path).split(".");
  for (let length = parts.length; length > 0; length--) {
    const candidate = parts.slice(0, length).join(".");
    if (layerPaths.has(candidate)) return candidate;
  }
  return null;
}
