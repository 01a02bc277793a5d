/**
 * Short jobs on a run's latest checkpoint (docs/api.md, "Short jobs"): streamed over the run's
 * job socket. Placeholder until the short-jobs plumbing lands on main, which replaces this file.
 */
import { ApiError } from "./api";

/** Asks one job over its socket: `onPart` gets each streamed piece; the promise answers the result. */
export function streamJob<T = Record<string, unknown>>(
  runId: number,
  kind: string,
  args: Record<string, unknown>,
  onPart: (part: Record<string, unknown>) => void,
  token?: string,
): Promise<T> {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const query = token ? `?token=${encodeURIComponent(token)}` : "";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/runs/${runId}/jobs/${query}`);
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    socket.onopen = () => socket.send(JSON.stringify({ kind, args }));
    socket.onmessage = (event: MessageEvent) => {
      const message = JSON.parse(String(event.data)) as { type: string; data?: Record<string, unknown>; message?: string };
      if (message.type === "part" && message.data) onPart(message.data);
      else if (message.type === "result") {
        settled = true;
        resolve(message.data as T);
        socket.close();
      } else if (message.type === "error") {
        settled = true;
        reject(new ApiError(422, [{ path: "", message: message.message ?? "The job failed." }]));
        socket.close();
      }
    };
    socket.onclose = () => {
      if (!settled) reject(new ApiError(0, [{ path: "", message: "Sampling is not available on this server yet." }]));
    };
  });
}
