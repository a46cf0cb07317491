// Choice rule comparison operators (ASL spec, "Choice Rules"), grouped by
// the kind of value they compare against.

export type OperandKind = "string" | "number" | "boolean" | "path";

const COMPARISONS = ["Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"];

function family(prefix: string, kind: OperandKind, ops = COMPARISONS): [string, OperandKind][] {
  return ops.flatMap((op) => [
    [`${prefix}${op}`, kind],
    [`${prefix}${op}Path`, "path"],
  ]) as [string, OperandKind][];
}

export const OPERATORS: [string, OperandKind][] = [
  ...family("String", "string"),
  ["StringMatches", "string"],
  ...family("Numeric", "number"),
  ...family("Boolean", "boolean", ["Equals"]),
  ...family("Timestamp", "string"),
  ["IsNull", "boolean"],
  ["IsPresent", "boolean"],
  ["IsNumeric", "boolean"],
  ["IsString", "boolean"],
  ["IsBoolean", "boolean"],
  ["IsTimestamp", "boolean"],
];

export const OPERAND_KIND = new Map(OPERATORS);

export function ruleOperator(rule: Record<string, unknown>): string | null {
  return Object.keys(rule).find((k) => OPERAND_KIND.has(k)) ?? null;
}

/** A sensible value when the user switches a rule to another operator. */
export function defaultOperand(op: string, previous: unknown): unknown {
  const kind = OPERAND_KIND.get(op);
  if (kind === "number") return typeof previous === "number" ? previous : 0;
  if (kind === "boolean") return typeof previous === "boolean" ? previous : true;
  if (kind === "path") return typeof previous === "string" && previous.startsWith("$") ? previous : "$.";
  return typeof previous === "string" && !previous.startsWith("$") ? previous : "";
}
