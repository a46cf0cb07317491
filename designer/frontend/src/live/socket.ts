// A websocket that resumes: it reconnects with ?after=<last seq handled>, so the server
// replays exactly what was missed; a message at or below that seq (a replay racing a bell)
// is dropped here, so the page never shows an event twice.

export interface LiveMessage {
  type: string;
  seq: number;
  [key: string]: unknown;
}

export type ConnectionState = "connecting" | "live" | "reconnecting" | "closed";

export interface ResumableSocketOptions {
  path: string;
  /** The cursor to resume from (last seq handled); read at every (re)connect. */
  after: () => number;
  /** Messages in order; `seq` filtering is the caller's (the list socket's seq is per id). */
  onMessages: (messages: LiveMessage[]) => void;
  onState: (state: ConnectionState) => void;
  extraQuery?: Record<string, string>;
}

// Close codes after which retrying cannot help (see engine/consumers.py).
const FINAL = new Set([4400, 4401, 4403]);

export class ResumableSocket {
  private ws: WebSocket | null = null;
  private retry = 0;
  private stopped = false;
  private buffer: LiveMessage[] = [];
  private flushing = false;
  private holdUntil = 0;

  constructor(private options: ResumableSocketOptions) {}

  connect(): void {
    const { path, after, extraQuery } = this.options;
    const query = new URLSearchParams({ after: String(after()), ...(extraQuery ?? {}) });
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}${path}?${query}`);
    this.ws = ws;
    this.options.onState(this.retry ? "reconnecting" : "connecting");
    ws.onopen = () => {
      this.retry = 0;
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
      this.options.onState("reconnecting");
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
    this.ws?.close(1000);
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
