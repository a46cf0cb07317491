import { TransitionEdge } from "./TransitionEdge";

/** Edge types by transition kind; styling per kind lives in designer.css (.sd-edge-<kind>). */
export const edgeTypes = {
  next: TransitionEdge,
  choice: TransitionEdge,
  default: TransitionEdge,
  catch: TransitionEdge,
  start: TransitionEdge,
  end: TransitionEdge,
};
