// The one-line summary each state type shows under its name.

import { taskTargetText } from "../../asl/taskTarget";
import type { JsonObject } from "../../asl/types";

function short(text: string, max = 30): string {
  return text.length > max ? `…${text.slice(text.length - max + 1)}` : text;
}

const BODIES: Record<string, (f: JsonObject) => string> = {
  // What it calls, not its ARN: "greet", "dynamodb:putItem", "HTTP GET example.com".
  Task: (f) => taskTargetText(f),
  Pass: () => "Pass state",
  Choice: (f) => `Choice · ${Array.isArray(f.Choices) ? f.Choices.length : 0} rule(s)`,
  Wait: (f) => {
    for (const k of ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"]) {
      if (f[k] !== undefined) return `Wait · ${k} ${short(String(f[k]), 18)}`;
    }
    return "Wait";
  },
  Succeed: () => "Succeed",
  Fail: (f) => (typeof f.Error === "string" ? `Fail · ${short(f.Error, 22)}` : "Fail"),
  Parallel: (f) => `Parallel`,
  Map: () => "Map",
};

export function bodyText(type: string, fields: JsonObject): string {
  return (BODIES[type] ?? (() => type))(fields);
}
