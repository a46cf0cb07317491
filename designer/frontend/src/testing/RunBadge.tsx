// A canvas node's mark while a test run is shown: its status (for screen readers and tests;
// the colour is the node's border, testing.css) and, as on the live graph, retries and visits.

import { STATUS_LABEL } from "../live/graph";
import { markText, type NodeMark } from "./runOverlay";

export function RunBadge({ mark }: { mark: NodeMark }) {
  const text = markText(mark);
  // Unreached states are only dimmed: a label on each would drown the path taken.
  if (!text && mark.status === "not-reached") return null;
  return (
    <span className={`sd-run-badge ${mark.status}`} data-testid="run-badge" title={`Test run: ${STATUS_LABEL[mark.status]}${text ? ` · ${text}` : ""}`}>
      {text || STATUS_LABEL[mark.status]}
    </span>
  );
}
