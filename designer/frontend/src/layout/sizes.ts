// Node sizes shared by the layout and the canvas, so what ELK places is what React Flow draws.

export const STATE_W = 200;
export const STATE_H = 52;
export const MARKER_W = 84;
export const MARKER_H = 32;
export const CONTAINER_HEADER = 44;
export const CONTAINER_PAD = 16;
export const SCOPE_PAD_TOP = 26;
export const EMPTY_SCOPE_W = 180;
export const EMPTY_SCOPE_H = 72;
/** The open end of a Choice rule, and the "Drag a state here" card of an empty machine. */
export const SLOT_W = 180;
export const SLOT_H = 44;
