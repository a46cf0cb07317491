// fetch helpers for the StepStudio REST API: JSON in and out, session
// cookie + CSRF header, errors turned into ApiError with the API's
// {"detail","code","diagnostics"} body.

import type { Diagnostic } from "../store/store";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly code: string,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(detail);
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
}

function cookie(name: string): string | null {
  if (typeof document === "undefined") return null;
  const match = document.cookie.split("; ").find((c) => c.startsWith(`${name}=`));
  return match ? decodeURIComponent(match.slice(name.length + 1)) : null;
}

export function createApi(csrfToken: string | null, base = ""): Api {
  const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    // The token in the page wins; the cookie covers a token rotated by a login in another tab.
    const token = csrfToken || cookie("csrftoken");
    if (method !== "GET" && token) headers["X-CSRFToken"] = token;
    const response = await fetch(base + path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let data: any = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (!response.ok) {
      throw new ApiError(response.status, data?.detail ?? `${response.status} ${response.statusText}`, data?.code ?? "http_error", data?.diagnostics ?? []);
    }
    return data as T;
  };
  return {
    get: (path) => request("GET", path),
    post: (path, body) => request("POST", path, body),
    patch: (path, body) => request("PATCH", path, body),
    put: (path, body) => request("PUT", path, body),
  };
}

export const encodeName = (name: string) => encodeURIComponent(name);
