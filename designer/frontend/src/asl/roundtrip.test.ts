import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fromGraph } from "./fromGraph";
import { toGraph } from "./toGraph";
import { jsonEqual, type StateMachine } from "./types";

// The AWS-recorded corpus lives beside the repo (../shared from the repo root).
const casesDir = fileURLToPath(new URL("../../../../../shared/asl-conformance/cases", import.meta.url));
const cases = readdirSync(casesDir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => ({ file: f, definition: JSON.parse(readFileSync(`${casesDir}/${f}`, "utf8")).definition as StateMachine }));

describe("toGraph/fromGraph round trip", () => {
  it("finds the conformance corpus", () => {
    expect(cases.length).toBeGreaterThan(1000);
  });

  it.each(cases)("$file survives toGraph → fromGraph unchanged", ({ definition }) => {
    const back = fromGraph(toGraph(definition));
    expect(jsonEqual(back, definition)).toBe(true);
    // Key order is what users read in the exported JSON; keep it too.
    expect(JSON.stringify(back)).toBe(JSON.stringify(definition));
  });
});
