/** The tasks the server trains, as `GET /api/tasks` lists them. */
import type { Lesson } from "./presets";
import type { SchemaNode } from "./schema";

/** A task's description: its configuration's schema and defaults; its catalogue says each dataset's problem type, and holds the lessons. */
export interface TaskInfo {
  name: string;
  title: string;
  default_config: Record<string, unknown>;
  schema: SchemaNode;
  catalogue?: {
    datasets?: Record<string, { problem?: string | null; classes?: number; description?: string }>;
    features?: Record<string, { label: string; description?: string }>;
    lessons?: Lesson[];
  };
}
