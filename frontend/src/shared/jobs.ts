/**
 * Short jobs on a run's latest checkpoint (docs/api.md, "Short jobs"): `runJob` asks once over HTTP,
 * `streamJob` over the run's jobs socket, handing each streamed piece to `onPart`.
 */
import { apiPost } from "./api";

/** Asks a run for one short job and answers its result (an ApiError with the server's sentence otherwise). */
export async function runJob<T = Record<string, unknown>>(runId: number, kind: string, args: Record<string, unknown>, token?: string): Promise<T> {
  const query = token ? `?token=${encodeURIComponent(token)}` : "";
  const answer = await apiPost<{ kind: string; result: T }>(`runs/${runId}/jobs${query}`, { kind, args });
  return answer.result;
}

/** Asks for a job over the socket; each `part` goes to `onPart`, the promise answers the final result. */
export function streamJob<T = Record<string, unknown>>(runId: number, kind: string, args: Record<string, unknown>, onPart: (part: Record<string, unknown>) => void, token?: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const query = token ? `?token=${encodeURIComponent(token)}` : "";
    const socket = new WebSocket(`${scheme}://${location.host}/ws/runs/${runId}/jobs/${query}`);
    let settled = false;
    socket.addEventListener("open", () => socket.send(JSON.stringify({ kind, args })));
    socket.addEventListener("message", (message) => {
      const data = JSON.parse(String(message.data)) as { type: string; data?: Record<string, unknown>; message?: string };
      if (data.type === "part" && data.data) onPart(data.data);
      else if (data.type === "result") {
        settled = true;
        resolve(data.data as T);
        socket.close();
      } else if (data.type === "error") {
        settled = true;
        reject(new Error(data.message ?? "The job failed."));
        socket.close();
      }
    });
    socket.addEventListener("close", () => {
      if (!settled) reject(new Error("The connection closed before the job answered; try again."));
    });
  });
}
