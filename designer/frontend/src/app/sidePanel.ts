// The side panel (Inspector / Definition) can be widened by dragging its left edge or with
// the arrow keys on that edge; the width is remembered in this browser.

const KEY = "stepstudio.designer.sideWidth";
export const DEFAULT_SIDE_WIDTH = 400;
export const MIN_SIDE_WIDTH = 320;
/** Room the palette and a usable canvas keep when the panel grows. */
const KEEP_FOR_CANVAS = 560;

export function clampSideWidth(width: number, windowWidth: number): number {
  const max = Math.max(MIN_SIDE_WIDTH, windowWidth - KEEP_FOR_CANVAS);
  return Math.round(Math.min(max, Math.max(MIN_SIDE_WIDTH, width)));
}

export function loadSideWidth(storage: Pick<Storage, "getItem"> | null, windowWidth: number): number {
  const saved = Number(storage?.getItem(KEY));
  return clampSideWidth(Number.isFinite(saved) && saved > 0 ? saved : DEFAULT_SIDE_WIDTH, windowWidth);
}

export function saveSideWidth(storage: Pick<Storage, "setItem"> | null, width: number): void {
  try {
    storage?.setItem(KEY, String(Math.round(width)));
  } catch {
    /* storage full or blocked: the width is only a preference */
  }
}
