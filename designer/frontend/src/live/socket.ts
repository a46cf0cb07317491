// A websocket that resumes: it reconnects with ?after=<last seq handled>, so the server
// replays exactly what was missed; a message at or below that seq (a replay racing a bell)
// is dropped here, so the page never shows an event twice.

export interface LiveMessage {
  type: string;
  seq: number;
  [key: string]: unknown;
}

export type ConnectionState = "connecting" | "live" | "reconnecting" | "polling" | "closed";

export interface ResumableSocketOptions {
  path: string;
  /** The cursor to resume from (last seq handled); read at every (re)connect. */
  after: () => number;
  /** Messages in order; `seq` filtering is the caller's (the list socket's seq is per id). */
  onMessages: (messages: LiveMessage[]) => void;
  onState: (state: ConnectionState) => void;
  extraQuery?: Record<string, string>;
  /** An HTTP URL answering `?after=<seq>` (and extraQuery) with `{messages, more}`: what the socket would
   * send. Read every POLL_MS while the socket cannot connect at all (a proxy that drops the
   * upgrade, a server without websockets), until it does. */
  poll?: string;
}

const POLL_MS = 2000;
// Connection attempts that never opened before the page falls back to polling: one
// failure may be a server restarting; two in a row, with the backoff between, are not.
const FAILURES_BEFORE_POLLING = 2;

// Close codes after which retrying cannot help (see engine/consumers.py).
const FINAL = new Set([4400, 4401, 4403]);

export class ResumableSocket {
  private ws: WebSocket | null = null;
  private retry = 0;
  private stopped = false;
  private buffer: LiveMessage[] = [];
  private flushing = false;
  private holdUntil = 0;
  private failures = 0;
  private polling = false;

  constructor(private options: ResumableSocketOptions) {}

  connect(): void {
    const { path, after, extraQuery } = this.options;
    const query = new URLSearchParams({ after: String(after()), ...(extraQuery ?? {}) });
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}${path}?${query}`);
    this.ws = ws;
    let opened = false;
    if (!this.polling) this.options.onState(this.retry ? "reconnecting" : "connecting");
    ws.onopen = () => {
      opened = true;
      this.retry = 0;
      this.failures = 0;
      this.polling = false;
      this.options.onState("live");
    };
    ws.onmessage = (event) => {
      this.buffer.push(JSON.parse(event.data as string) as LiveMessage);
      this.scheduleFlush();
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      // Hand over what arrived before the close first: after() must cover it.
      this.flush();
      if (this.stopped || FINAL.has(event.code)) {
        this.options.onState("closed");
        return;
      }
      this.retry += 1;
      this.failures = opened ? 0 : this.failures + 1;
      if (this.options.poll && this.failures >= FAILURES_BEFORE_POLLING) this.startPolling();
      if (!this.polling) this.options.onState("reconnecting");
      const backoff = Math.min(5000, 250 * 2 ** Math.min(this.retry - 1, 5));
      const delay = Math.max(backoff, this.holdUntil - Date.now());
      setTimeout(() => this.connect(), delay);
    };
  }

  /** Drop the connection as a network failure would; it reconnects (after `holdMs`) and resumes. */
  drop(holdMs = 0): void {
    this.holdUntil = Date.now() + holdMs;
    this.ws?.close(4000, "dropped");
  }

  stop(): void {
    this.stopped = true;
    this.polling = false;
    this.ws?.close(1000);
  }

  // The socket keeps trying (with its backoff) while the page polls; the first socket that
  // opens ends the polling, and resumes from what the polls handed over (after()).
  private startPolling(): void {
    if (this.polling) return;
    this.polling = true;
    this.options.onState("polling");
    void this.pollLoop();
  }

  private async pollLoop(): Promise<void> {
    const url = this.options.poll!;
    while (this.polling && !this.stopped) {
      let again = POLL_MS;
      try {
        const query = new URLSearchParams({ after: String(this.options.after()), ...(this.options.extraQuery ?? {}) });
        const response = await fetch(`${url}?${query}`, {
          credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store",
        });
        if (response.status === 403 || response.status === 404) {
          this.polling = false;
          this.stop();
          this.options.onState("closed");
          return;
        }
        if (response.ok) {
          const body = (await response.json()) as { messages: LiveMessage[]; more: boolean };
          // A socket that opened meanwhile has resumed from after(): these are its to send.
          if (!this.polling) return;
          if (body.messages.length) this.options.onMessages(body.messages);
          if (body.more) again = 0;
        }
      } catch {
        // Offline, or the server restarting: the next poll tells.
      }
      await new Promise((resolve) => setTimeout(resolve, again));
    }
  }

  // Replays arrive as thousands of frames; handing them over once per animation frame keeps
  // the page responsive and lets the views redraw once per batch.
  private scheduleFlush(): void {
    if (this.flushing) return;
    this.flushing = true;
    const run = () => this.flush();
    if (document.visibilityState === "visible") requestAnimationFrame(run);
    else setTimeout(run, 50);
  }

  private flush(): void {
    this.flushing = false;
    if (!this.buffer.length) return;
    const batch = this.buffer;
    this.buffer = [];
    this.options.onMessages(batch);
  }
}
