/** The JSON API client: CSRF header on writes, and errors as {path, message} lists. */

/** One problem reported by the API: where it is (a dotted path, "" for the whole request) and what. */
export interface ApiProblem {
  path: string;
  message: string;
}

/** An API answer that was not a success, carrying the problems it named. */
export class ApiError extends Error {
  /** HTTP status, or 0 when the server could not be reached. */
  readonly status: number;
  /** The problems, each with its path. */
  readonly errors: ApiProblem[];

  constructor(status: number, errors: ApiProblem[]) {
    super(errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join("; "));
    this.name = "ApiError";
    this.status = status;
    this.errors = errors;
  }
}

function asProblem(item: unknown): ApiProblem | null {
  if (typeof item === "string") return { path: "", message: item };
  if (!item || typeof item !== "object") return null;
  const record = item as Record<string, unknown>;
  const message = record.message ?? record.msg ?? record.detail;
  if (typeof message !== "string") return null;
  let path = "";
  if (typeof record.path === "string") path = record.path;
  else if (Array.isArray(record.loc)) path = record.loc.filter((part) => part !== "body").join(".");
  return { path, message };
}

/** Turns an error answer's body into problems, whatever shape the server gave it. */
export function parseErrors(status: number, bodyText: string): ApiProblem[] {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  if (body && typeof body === "object") {
    const record = body as Record<string, unknown>;
    const list = Array.isArray(record.errors) ? record.errors : Array.isArray(record.detail) ? record.detail : null;
    if (list) {
      const problems = list.map(asProblem).filter((p): p is ApiProblem => p !== null);
      if (problems.length) return problems;
    }
    const single = asProblem(record);
    if (single) return [single];
  }
  if (status === 429) return [{ path: "", message: "You already have as many runs going as you may; wait for one to finish." }];
  if (status === 404) return [{ path: "", message: "Not found, or not yours to see." }];
  return [{ path: "", message: `The server answered ${status}${status >= 500 ? " (an error on its side)" : ""}.` }];
}

/** Reads the `csrftoken` cookie Django sets for the page. */
export function csrfToken(cookie: string = typeof document === "undefined" ? "" : document.cookie): string {
  for (const part of cookie.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === "csrftoken") return decodeURIComponent(rest.join("="));
  }
  return "";
}

/** Sends one JSON request under /api/ and answers the parsed body, or throws an ApiError. */
export async function apiRequest<T>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    headers["X-CSRFToken"] = csrfToken();
  }
  let response: Response;
  try {
    response = await fetch(`/api/${path.replace(/^\//, "")}`, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, [{ path: "", message: "Could not reach the server; check the connection and try again." }]);
  }
  const text = await response.text();
  if (!response.ok) throw new ApiError(response.status, parseErrors(response.status, text));
  if (!text) return undefined as T;
  const type = response.headers.get("Content-Type") ?? "";
  return (type.includes("json") ? JSON.parse(text) : text) as T;
}

/** An error in words for a page: the API's sentences, or the error's own message. */
export function errorWords(error: unknown): string {
  if (error instanceof ApiError) return error.errors.map((e) => e.message).join(" ");
  return String(error instanceof Error ? error.message : error);
}

/** GET under /api/. */
export function apiGet<T>(path: string): Promise<T> {
  return apiRequest<T>("GET", path);
}

/** POST a JSON body under /api/. */
export function apiPost<T>(path: string, body: unknown = {}): Promise<T> {
  return apiRequest<T>("POST", path, body);
}

/** An upload as `POST /api/uploads` answers it (docs/api.md, "Uploads"). */
export interface Upload {
  id: number;
  kind: string;
  name: string;
  size: number;
  summary: Record<string, unknown>;
}

/** Sends a file as an upload of `kind` (multipart) and answers the kept upload, or throws an ApiError with the server's sentence. */
export async function apiUpload(kind: string, file: Blob, name = "file"): Promise<Upload> {
  const body = new FormData();
  body.append("kind", kind);
  body.append("file", file, name);
  let response: Response;
  try {
    response = await fetch("/api/uploads", { method: "POST", body, credentials: "same-origin", headers: { Accept: "application/json", "X-CSRFToken": csrfToken() } });
  } catch {
    throw new ApiError(0, [{ path: "", message: "Could not reach the server; check the connection and try again." }]);
  }
  const text = await response.text();
  if (!response.ok) throw new ApiError(response.status, parseErrors(response.status, text));
  return JSON.parse(text) as Upload;
}

/** DELETE under /api/. */
export function apiDelete<T = void>(path: string): Promise<T> {
  return apiRequest<T>("DELETE", path);
}
