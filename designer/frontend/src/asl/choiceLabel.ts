// Short, human labels for Choice rules and catchers, drawn on their edges.

import { isObject, type Json, type JsonObject } from "./types";

const SYMBOLS: Record<string, string> = {
  Equals: "==",
  LessThan: "<",
  GreaterThan: ">",
  LessThanEquals: "<=",
  GreaterThanEquals: ">=",
};

function literal(value: Json): string {
  return typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value);
}

export function ruleLabel(rule: Json, depth = 0): string {
  if (!isObject(rule)) return "?";
  if (typeof rule.Condition === "string") return rule.Condition.replace(/^\{%\s*|\s*%\}$/g, "");
  if (Array.isArray(rule.And)) return rule.And.map((r) => ruleLabel(r, depth + 1)).join(" and ");
  if (Array.isArray(rule.Or)) return rule.Or.map((r) => ruleLabel(r, depth + 1)).join(" or ");
  if (rule.Not !== undefined) return `not (${ruleLabel(rule.Not, depth + 1)})`;
  const variable = typeof rule.Variable === "string" ? rule.Variable : "?";
  for (const [key, value] of Object.entries(rule)) {
    if (key === "Variable" || key === "Next" || key === "Comment" || key === "Assign" || key === "Output") continue;
    if (key.startsWith("Is")) return `${variable} ${key}${value === false ? " = false" : ""}`;
    if (key === "StringMatches") return `${variable} matches ${literal(value)}`;
    const m = /^(String|Numeric|Boolean|Timestamp)(Equals|LessThanEquals|GreaterThanEquals|LessThan|GreaterThan)(Path)?$/.exec(key);
    if (m) return `${variable} ${SYMBOLS[m[2]]} ${m[3] ? String(value) : literal(value)}`;
  }
  return variable;
}

export function choiceEdgeLabel(rule: JsonObject, index: number): string {
  const text = typeof rule.Comment === "string" && rule.Comment ? rule.Comment : ruleLabel(rule);
  const short = text.length > 40 ? `${text.slice(0, 39)}…` : text;
  return `#${index + 1} ${short}`;
}

export function catchEdgeLabel(catcher: JsonObject): string {
  const errors = Array.isArray(catcher.ErrorEquals) ? catcher.ErrorEquals.join(", ") : "?";
  return `Catch: ${errors}`;
}
