// `npx vitest bench --run src/live/replay` (bench/README.md): seeking in a 25,000-event
// history, against one animation frame (16.7 ms).
import { bench, describe } from "vitest";
import { toGraph } from "../../asl/toGraph";
import { ExecutionModel } from "../model";
import { longHistory } from "./longHistory";
import { Reconstruction } from "./reconstruct";

const { definition, events } = longHistory(2083);
const graph = toGraph(definition);
const ids = new Set(graph.nodes.map((n) => n.id));
const fresh = () => new ExecutionModel(ids, () => 0);

describe("replay of 25,000 events", () => {
  bench("first pass to the end (checkpoints kept)", () => {
    new Reconstruction(() => events, fresh).seek(events.length);
  }, { iterations: 5 });

  const r = new Reconstruction(() => events, fresh);
  r.seek(events.length);
  let i = 0;
  const targets = [24_321, 3, 17_999, 12_000, 24_999, 1, 8_888, 20_500];
  bench("a seek anywhere afterwards", () => {
    r.seek(targets[i++ % targets.length]);
  }, { iterations: 200 });
});
