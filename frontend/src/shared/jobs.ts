/** Short jobs on a run's latest checkpoint (a prediction, a sample, feature maps): docs/api.md, "Short jobs". */
import { ApiError, apiPost } from "./api";
import type { SocketLike } from "./runstream";

/** The answer of POST /api/runs/{id}/jobs. */
interface JobAnswer<T> {
  kind: string;
  result: T;
}

/** Asks one job over HTTP and answers its result; throws an ApiError (409 no checkpoint yet, 422, 429 busy...). */
export async function runJob<T = Record<string, unknown>>(
  runId: number,
  kind: string,
  args: Record<string, unknown>,
  token?: string,
): Promise<T> {
  const query = token ? `?token=${encodeURIComponent(token)}` : "";
  const answer = await apiPost<JobAnswer<T>>(`runs/${runId}/jobs${query}`, { kind, args });
  return answer.result;
}

/** Builds the address of a run's job socket. */
export function jobSocketUrl(location: { protocol: string; host: string }, runId: number, token?: string): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const query = token ? `?token=${encodeURIComponent(token)}` : "";
  return `${scheme}://${location.host}/ws/runs/${runId}/jobs/${query}`;
}

/** What a job socket can send. */
type JobMessage =
  | { type: "part"; data: Record<string, unknown> }
  | { type: "result"; data: Record<string, unknown> }
  | { type: "error"; message: string };

/** Options for tests: a fake socket and location. */
export interface StreamJobOptions {
  openSocket?: (url: string) => SocketLike & { send(data: string): void };
  location?: { protocol: string; host: string };
}

/**
 * Asks one job over its socket: `onPart` receives each streamed piece as it comes (characters
 * of a sample), and the promise answers the final result, or rejects with an ApiError whose
 * message is the server's sentence (status 0: the socket closed before an answer).
 */
export function streamJob<T = Record<string, unknown>>(
  runId: number,
  kind: string,
  args: Record<string, unknown>,
  onPart: (part: Record<string, unknown>) => void,
  token?: string,
  options: StreamJobOptions = {},
): Promise<T> {
  const url = jobSocketUrl(options.location ?? window.location, runId, token);
  const socket = options.openSocket ? options.openSocket(url) : (new WebSocket(url) as SocketLike & { send(data: string): void });
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      done();
      socket.close();
    };
    socket.onopen = () => socket.send(JSON.stringify({ kind, args }));
    socket.onmessage = (event: MessageEvent) => {
      let message: JobMessage;
      try {
        message = JSON.parse(String(event.data)) as JobMessage;
      } catch {
        return;
      }
      if (message.type === "part") onPart(message.data);
      else if (message.type === "result") settle(() => resolve(message.data as T));
      else if (message.type === "error") settle(() => reject(new ApiError(422, [{ path: "", message: message.message }])));
    };
    socket.onclose = (event: CloseEvent) => {
      const refused = event.code === 4404;
      settle(() =>
        reject(
          new ApiError(refused ? 404 : 0, [
            { path: "", message: refused ? "Not found, or not yours to see." : "The connection closed before the job answered; try again." },
          ]),
        ),
      );
    };
    socket.onerror = () => undefined; // a close follows, which says what happened
  });
}
