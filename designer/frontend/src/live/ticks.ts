// Timeline axis ticks at round durations (1, 2 or 5 × a power of ten: 0, 2 s, 4 s, …), each
// labelled with as many decimals as its step needs, so neighbouring labels never read the
// same ("0 ms 0 ms 1 ms") and never carry noise digits ("3.198 s").

export interface Tick {
  at: number; // ms from the start
  label: string;
}

const UNITS: [number, string][] = [[3_600_000, "h"], [60_000, "min"], [1000, "s"], [1, "ms"]];

const CLOCK = [10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
  3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000];

export function niceStep(span: number, target = 5): number {
  const raw = Math.max(span, 1e-3) / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  const nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  let step = nice * power;
  // Beyond a second, steps that read well on a clock: 15 s, 30 s, 1 min, 5 min, 15 min, 1 h…
  if (step >= 10_000) {
    for (const s of CLOCK) if (s >= raw) return s;
  }
  if (step < 1e-3) step = 1e-3;
  return step;
}

/** `ms` in the largest unit the whole axis (`span`) reaches, with the decimals `step` needs. */
export function formatTick(ms: number, step: number, span = ms): string {
  if (ms === 0) return "0";
  const [unit, name] = UNITS.find(([u]) => span >= u || u === 1)!;
  const value = ms / unit;
  const stepIn = step / unit;
  const decimals = stepIn >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(stepIn) - 1e-9));
  return `${value.toFixed(decimals)} ${name}`;
}

/** Ticks from 0 up to `span` ms (the last one at or below it). */
export function ticks(span: number, target = 5): Tick[] {
  const step = niceStep(span, target);
  const out: Tick[] = [];
  for (let i = 0; i * step <= span + 1e-9 && out.length < 50; i++) out.push({ at: i * step, label: formatTick(i * step, step, span) });
  return out;
}
