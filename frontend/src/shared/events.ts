/** Types of runs and their events, as docs/api.md describes them. */
import type { NetSpec } from "./netspec";

/** The kinds of event a run emits. */
export type EventType = "metric" | "text" | "image" | "table" | "status" | "log";

/** One stored event of a run; `seq` counts from 1 with no gaps. */
export interface RunEvent {
  seq: number;
  type: EventType;
  step: number | null;
  data: Record<string, unknown>;
}

/** A run's life stages. */
export type RunStatus = "queued" | "running" | "paused" | "succeeded" | "failed" | "cancelled";

/** A run as the API answers it. */
export interface Run {
  id: number;
  task: string;
  status: RunStatus;
  config: Record<string, unknown>;
  created: string;
  started: string | null;
  finished: string | null;
  error: string;
  queue_position: number | null;
  device: string;
  parent: number | null;
  last_seq: number;
  share_token?: string;
  is_owner?: boolean;
  /** Who besides its owner sees it. */
  visibility?: Visibility;
  /** The network spec the configuration trains (null for a task without one). */
  net?: NetSpec | null;
  /** The live controls asked for so far ({"learning_rate": 0.01}). */
  controls?: Record<string, unknown>;
}

/** Who besides its owner sees a run: nobody, its course, holders of its share link, everyone. */
export type Visibility = "private" | "course" | "link" | "public";

/** The statuses after which a run emits nothing more. */
export const TERMINAL_STATUSES: readonly RunStatus[] = ["succeeded", "failed", "cancelled"];

/** Whether a status is final. */
export function isTerminal(status: string): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

/** A data point of the Basics task: x1, x2 and the label (class or target). */
export type Point = [number, number, number];

/** `metric` data: split, epoch and named values; `grad` metrics carry `norms`. */
export interface MetricData {
  split: "train" | "test" | "grad" | string;
  epoch: number;
  loss?: number | null;
  accuracy?: number | null;
  norms?: (number | null)[];
}

/** The `surface` image: the network's output over a grid of the input plane. */
export interface SurfaceData {
  name: "surface";
  epoch: number;
  width: number;
  height: number;
  extent: [number, number, number, number];
  channels: number;
  min: number;
  max: number;
  values: string;
}

/** One node's picture inside the `units` image. */
export interface UnitPicture {
  layer: number;
  unit: number;
  min: number;
  max: number;
  values: string;
}

/** The `units` image: each node's output over a small grid. */
export interface UnitsData {
  name: "units";
  epoch: number;
  width: number;
  height: number;
  extent: [number, number, number, number];
  units: UnitPicture[];
}

/** The `weights` table: each layer's weights (out × in) and biases, first to last. */
export interface WeightsData {
  name: "weights";
  epoch: number;
  weights: number[][][];
  biases: number[][];
}

/** The `points` table: the data a run trains and tests on. */
export interface PointsData {
  name: "points";
  train: Point[];
  test: Point[];
}

/** Reads a number from event data, treating null and non-numbers as missing. */
export function numberOf(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
