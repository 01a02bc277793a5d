/** Asking the trained network about one point of the plane: a click on the surface, answered by a short job. */
import { ApiError } from "../shared/api";
import { runJob } from "../shared/jobs";

/** What Basics' `predict` job answers (docs/api.md, "Basics jobs"). */
export type Prediction =
  | { problem: "classification"; probabilities: (number | null)[][]; classes: number[] }
  | { problem: "regression"; values: (number | null)[] };

function coordinate(value: number): string {
  return value.toFixed(1).replace("-", "−");
}

/** "At (1.2, −0.8) the network says class 1, 87% sure." for one point's answer. */
export function predictionText(x1: number, x2: number, answer: Prediction): string {
  const at = `At (${coordinate(x1)}, ${coordinate(x2)})`;
  if (answer.problem === "regression") {
    const value = answer.values[0];
    return `${at} the network says ${value === null ? "nothing it can show (not a number)" : value.toFixed(3).replace("-", "−")}.`;
  }
  const label = answer.classes[0];
  const sure = answer.probabilities[0]?.[label];
  return `${at} the network says class ${label}${sure == null ? "" : `, ${Math.round(sure * 100)}% sure`}.`;
}

/** Asks run `runId` about one point and answers a sentence for the page, whatever happened. */
export async function askAbout(runId: number, x1: number, x2: number): Promise<string> {
  try {
    return predictionText(x1, x2, await runJob<Prediction>(runId, "predict", { points: [[x1, x2]] }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) return "The network has no saved weights yet; ask again in a moment.";
    return error instanceof Error ? error.message : String(error);
  }
}
