// The execution as it was after its first N events, for the replay scrubber. Moving forward
// feeds the new events to the same model (the live model is incremental); moving back starts
// (or jumping far ahead) from the nearest checkpoint — a copy of the model kept every `every` events — so no
// position costs more than `every` add() calls beyond the first pass, even at 25,000 events.

import type { ExecutionModel, HistoryEvent } from "../model";

export class Reconstruction {
  private current: ExecutionModel;
  private position = 0;
  private checkpoints = new Map<number, ExecutionModel>();

  /** `events()`: the whole history so far (it may grow); `fresh()`: an empty model. */
  constructor(private events: () => HistoryEvent[], private fresh: () => ExecutionModel, readonly every = 1000) {
    this.current = fresh();
  }

  private builder: ExecutionModel | null = null;
  private built = 0;

  get at(): number {
    return this.position;
  }

  /** Start at the end without replaying it: `model` already holds the first `n` events (the
   * live model); a copy is kept. Checkpoints then come from warm(). */
  startAt(model: ExecutionModel, n: number): void {
    this.current = model.clone();
    this.position = n;
  }

  /** Build checkpoints `slice` events at a time (from idle callbacks, so opening Replay on a
   * long history never blocks the page); true while there is more to do. */
  warm(slice = 2000): boolean {
    const events = this.events();
    this.builder ??= this.fresh();
    for (let n = 0; n < slice && this.built < events.length; n++) {
      this.builder.add(events[this.built]);
      this.built++;
      if (this.built % this.every === 0 && !this.checkpoints.has(this.built)) {
        this.checkpoints.set(this.built, this.builder.clone());
      }
    }
    return this.built < events.length;
  }

  /** The model after the first `n` events (clamped to the history). Do not change it. */
  seek(n: number): ExecutionModel {
    const events = this.events();
    n = Math.max(0, Math.min(events.length, Math.floor(n)));
    // Back, or forward past a checkpoint: start from the nearest checkpoint at or before n.
    const base = Math.floor(n / this.every) * this.every;
    const saved = base > 0 ? this.checkpoints.get(base) : undefined;
    if (n < this.position || (saved && base > this.position)) {
      this.current = saved ? saved.clone() : this.fresh();
      this.position = saved ? base : 0;
    }
    while (this.position < n) {
      this.current.add(events[this.position]);
      this.position++;
      if (this.position % this.every === 0 && !this.checkpoints.has(this.position)) {
        this.checkpoints.set(this.position, this.current.clone());
      }
    }
    return this.current;
  }

  /** Position right after the event that entered the `k`-th (1-based) visit of `node`, in the
   * full history `live` (whose visits index the same events). */
  static visitPosition(live: ExecutionModel, node: string, k: number): number | null {
    const list = live.byNode.get(node);
    if (!list || k < 1 || k > list.length) return null;
    const seq = live.visits[list[k - 1]].entered.seq;
    const index = indexOfSeq(live.events, seq);
    return index < 0 ? null : index + 1;
  }
}

/** Events are in seq order: a binary search. */
export function indexOfSeq(events: HistoryEvent[], seq: number): number {
  let lo = 0;
  let hi = events.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = events[mid].seq;
    if (at === seq) return mid;
    if (at < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
