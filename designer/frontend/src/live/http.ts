// POSTs of the live page to the REST API: JSON in, the API's error shape ({"detail",
// "code"}) out as one readable message.

export type PostResult = { ok: true; body: Record<string, unknown> } | { ok: false; status: number; message: string };

export async function postJson(url: string, body: unknown, csrfToken: string): Promise<PostResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, message: "the server could not be reached" };
  }
  const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.ok) return { ok: true, body: data };
  return { ok: false, status: response.status, message: String(data.detail ?? response.statusText ?? response.status) };
}
