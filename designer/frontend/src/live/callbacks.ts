// "Waiting for a callback": the task tokens the execution waits on, each with Send success /
// Send failure forms, for the execution's owner (GET {api}task-tokens/ answers only them;
// anyone else gets 404 and sees nothing here). Answers go through the same API as any
// other caller's (/api/task-tokens/success/ and /failure/).

import { clear, h } from "./dom";
import { postJson } from "./http";

export interface OpenToken {
  token: string;
  state: string;
  iteration: string;
  kind: "callback" | "activity";
  activity: string | null;
  status: string;
  created: string;
  heartbeatSeconds: number | null;
}

/** The JSON text a Send success form holds: an object, array or any JSON value. */
export function parseOutput(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (!text.trim()) return { ok: false, message: "Output is required: a JSON value such as {\"approved\": true}." };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `Output is not valid JSON: ${(error as Error).message}` };
  }
}

export class CallbackPanel {
  private tokens: OpenToken[] = [];
  private shown = "";
  private loading = false;
  private again = false;
  private forbidden = false;
  /** Called when the list of open tokens changed (the step details mention them). */
  onChange: (() => void) | null = null;

  constructor(private root: HTMLElement, private api: string, private csrfToken: string) {}

  /** Re-read the open tokens (called when new events arrive; calls overlapping are merged). */
  async refresh(running: boolean): Promise<void> {
    if (this.forbidden) return;
    if (!running) {
      this.tokens = [];
      this.render();
      return;
    }
    if (this.loading) {
      this.again = true;
      return;
    }
    this.loading = true;
    try {
      const response = await fetch(`${this.api}task-tokens/`, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.status === 404 || response.status === 403) {
        this.forbidden = true;
        this.tokens = [];
      } else if (response.ok) {
        this.tokens = ((await response.json()) as { tokens: OpenToken[] }).tokens;
      }
      this.render();
    } catch {
      // Offline for a moment: the next batch of events reads them again.
    } finally {
      this.loading = false;
      if (this.again) {
        this.again = false;
        void this.refresh(running);
      }
    }
  }

  /** The open token a state (in a Map iteration: "Map[i]", else "") waits on. */
  find(state: string, iteration: string): OpenToken | undefined {
    return this.tokens.find((t) => t.state === state && (t.iteration === iteration || iteration.endsWith(`/${t.iteration}`) || (!t.iteration && !iteration)));
  }

  /** Bring a token's Send success form into view, ready to type in. */
  focus(token: OpenToken): void {
    const card = Array.from(this.root.querySelectorAll<HTMLElement>(".cb-card")).find((c) => c.querySelector<HTMLInputElement>(".cb-token")?.value === token.token);
    if (!card) return;
    card.scrollIntoView({ block: "center", behavior: "smooth" });
    card.querySelector<HTMLTextAreaElement>("textarea")?.focus({ preventScroll: true });
  }

  private render(): void {
    const key = this.tokens.map((t) => t.token).join(",");
    if (key === this.shown) return; // keep what someone is typing
    this.shown = key;
    this.onChange?.();
    clear(this.root);
    this.root.hidden = this.tokens.length === 0;
    if (!this.tokens.length) return;
    this.root.append(h("header", { class: "cb-head" },
      h("strong", {}, this.tokens.length === 1 ? "Waiting for a callback" : `Waiting for ${this.tokens.length} callbacks`),
      h("span", { class: "muted small" }, "The execution goes on when the task token is answered. Only you, the owner, see these tokens.")));
    for (const token of this.tokens) this.root.append(this.card(token));
  }

  private card(t: OpenToken): HTMLElement {
    const where = t.iteration ? `${t.state} in ${t.iteration}` : t.state;
    const tokenField = h("input", { class: "cb-token", readonly: true, value: t.token, "aria-label": `Task token of ${where}`, "data-live": "task-token" }) as HTMLInputElement;
    const copy = h("button", { type: "button", class: "button small", onclick: () => {
      void navigator.clipboard?.writeText(t.token).then(() => { copy.textContent = "Copied"; setTimeout(() => { copy.textContent = "Copy"; }, 1500); }, () => tokenField.select());
    } }, "Copy");
    const message = h("p", { class: "cb-message", role: "status" });
    message.hidden = true;
    const say = (text: string, bad: boolean) => {
      message.textContent = text;
      message.className = `cb-message ${bad ? "bad" : "good"}`;
      message.hidden = false;
    };

    const output = h("textarea", { rows: 3, spellcheck: "false", "aria-label": "Output (JSON)", name: "output" }, "{\n  \"approved\": true,\n  \"by\": \"me\"\n}") as HTMLTextAreaElement;
    const successForm = h("form", { class: "cb-form", "data-form": "success" },
      h("label", {}, "Output (JSON)", output),
      h("button", { type: "submit", class: "button primary" }, "Send success"));
    successForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const parsed = parseOutput(output.value);
      if (!parsed.ok) return say(parsed.message, true);
      void this.send(successForm, "success", { token: t.token, output: parsed.value }, say);
    });

    const error = h("input", { type: "text", name: "error", "aria-label": "Error", placeholder: "Rejected", value: "Rejected" }) as HTMLInputElement;
    const cause = h("input", { type: "text", name: "cause", "aria-label": "Cause", placeholder: "Why it failed" }) as HTMLInputElement;
    const failureForm = h("form", { class: "cb-form", "data-form": "failure" },
      h("label", {}, "Error", error), h("label", {}, "Cause", cause),
      h("button", { type: "submit", class: "button danger" }, "Send failure"));
    failureForm.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.send(failureForm, "failure", { token: t.token, error: error.value.trim(), cause: cause.value }, say);
    });

    const meta = [t.kind === "activity" ? `activity ${t.activity ?? ""}` : "task token callback",
      t.heartbeatSeconds ? `heartbeat every ${t.heartbeatSeconds} s` : ""].filter(Boolean).join(" · ");
    return h("article", { class: "cb-card", "data-token-state": t.state },
      h("div", { class: "cb-title" }, h("span", {}, "Task "), h("code", {}, where), h("span", { class: "muted small" }, ` ${meta}`)),
      h("div", { class: "cb-token-row" }, tokenField, copy),
      h("div", { class: "cb-forms" }, successForm, failureForm), message);
  }

  private async send(form: HTMLElement, kind: "success" | "failure", body: Record<string, unknown>, say: (text: string, bad: boolean) => void): Promise<void> {
    const buttons = Array.from(form.closest(".cb-card")?.querySelectorAll("button[type=submit]") ?? []) as HTMLButtonElement[];
    buttons.forEach((b) => { b.disabled = true; });
    const result = await postJson(`/api/task-tokens/${kind}/`, body, this.csrfToken);
    if (result.ok) {
      say(kind === "success" ? "Success sent: the execution goes on." : "Failure sent: the task fails with it.", false);
    } else {
      buttons.forEach((b) => { b.disabled = false; });
      say(`Not sent: ${result.message}`, true);
    }
  }
}
