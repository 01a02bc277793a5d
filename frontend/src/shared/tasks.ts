/** The tasks the server trains, as `GET /api/tasks` lists them. */
import type { Lesson } from "./presets";
import type { SchemaNode } from "./schema";

/** A task's description: its configuration's schema and defaults; its catalogue says each dataset's problem type, and holds the lessons. */
export interface TaskInfo {
  name: string;
  title: string;
  default_config: Record<string, unknown>;
  schema: SchemaNode;
  /** The JSON Schema of the live controls a run of this task takes (POST /api/runs/{id}/control). */
  controls?: SchemaNode;
  /** The short jobs a run answers (shared/jobs.ts): kind → the JSON Schema of its args. */
  jobs?: Record<string, SchemaNode>;
  catalogue?: {
    datasets?: Record<string, { problem?: string | null; classes?: number; description?: string }>;
    features?: Record<string, { label: string; description?: string }>;
    lessons?: Lesson[];
  };
}
