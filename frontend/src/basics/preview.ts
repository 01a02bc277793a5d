/** Asks the server which points a configuration trains on, fitting the problem type to the dataset. */
import { ApiError, apiPost } from "../shared/api";
import type { Point } from "../shared/events";
import { memoByBody } from "../shared/memo";

/** The answer of `POST /api/tasks/basics/preview`. */
export interface Preview {
  train: Point[];
  test: Point[];
}

/** A preview and the configuration it was made with. */
export interface FittedPreview extends Preview {
  config: Record<string, unknown>;
}

const askPreview = memoByBody((question: { task: string; config: Record<string, unknown> }) =>
  apiPost<Preview>(`tasks/${question.task}/preview`, { config: question.config }),
);

/**
 * Previews `config` (a configuration asked about before is answered from memory); when the server says the problem type does not suit the dataset, tries the
 * other problem types from `problems` (the schema's choices) and answers the one that fits.
 */
export async function previewFitted(task: string, config: Record<string, unknown>, problems: unknown[]): Promise<FittedPreview> {
  try {
    return { ...(await askPreview({ task, config })), config };
  } catch (error) {
    const aboutProblem = error instanceof ApiError && error.errors.some((e) => e.path === "config.problem");
    if (!aboutProblem) throw error;
    for (const problem of problems.filter((p) => p !== config.problem)) {
      const other = { ...config, problem };
      try {
        return { ...(await askPreview({ task, config: other })), config: other };
      } catch {
        continue;
      }
    }
    throw error;
  }
}
