// What a Task state calls, named as a person would: the handler or function ("greet"),
// the service action ("dynamodb:putItem"), the HTTP endpoint or the activity — read from
// the Resource ARN (and the FunctionName of the Lambda Invoke integration) the way
// engine/asl/states/task.py resolves it.

import { isObject, type Json, type JsonObject } from "./types";

export interface TaskTarget {
  kind: "function" | "service" | "http" | "activity" | "resource" | "none";
  label: string;
  /** How the call waits, when not request/response. */
  pattern?: "sync" | "callback";
}

function functionName(value: Json | undefined): string | null {
  if (typeof value !== "string" || !value) return null;
  if (value.includes(":function:")) return value.split(":function:")[1].split(":")[0];
  return value.split(":")[0];
}

function argument(state: JsonObject, key: string): Json | undefined {
  for (const holder of [state.Parameters, state.Arguments]) {
    if (!isObject(holder)) continue;
    if (holder[key] !== undefined) return holder[key];
    if (typeof holder[`${key}.$`] === "string") return `from ${holder[`${key}.$`]}`;
  }
  return undefined;
}

function hostOf(endpoint: Json | undefined): string | null {
  if (typeof endpoint !== "string" || !endpoint) return null;
  try {
    return new URL(endpoint).host || endpoint;
  } catch {
    return endpoint;
  }
}

export function taskTarget(state: JsonObject): TaskTarget {
  const resource = state.Resource;
  if (typeof resource !== "string" || !resource) return { kind: "none", label: "no resource yet" };
  const parts = resource.split(":");
  if (parts.length >= 7 && parts[2] === "lambda" && parts[5] === "function") return { kind: "function", label: parts[6] };
  if (parts.length >= 7 && parts[2] === "states" && parts[5] === "activity") return { kind: "activity", label: `activity ${parts.slice(6).join(":")}` };
  if (parts.length >= 7 && parts[0] === "arn" && parts[2] === "states" && parts[3] === "" && parts[4] === "") {
    const rest = parts.slice(5);
    const [service, action] = rest[0] === "aws-sdk" && rest.length >= 3 ? [rest[1], rest.slice(2).join(":")] : [rest[0], rest.slice(1).join(":")];
    const pattern = action.includes(".waitForTaskToken") ? "callback" : action.includes(".sync") ? "sync" : undefined;
    const base = action.split(/\.(?:waitForTaskToken|sync)/)[0];
    if (service === "lambda" && base === "invoke") {
      const fn = argument(state, "FunctionName");
      const name = typeof fn === "string" && fn.startsWith("from ") ? `function ${fn}` : functionName(fn);
      return { kind: "function", label: name ?? "lambda:invoke", pattern };
    }
    if (service === "http" && base === "invoke") {
      const method = argument(state, "Method");
      const host = hostOf(argument(state, "ApiEndpoint"));
      return { kind: "http", label: ["HTTP", typeof method === "string" && !method.startsWith("from ") ? method : null, host].filter(Boolean).join(" "), pattern };
    }
    return { kind: "service", label: `${service}:${base}`, pattern };
  }
  // A registered handler's name, a ${Placeholder}, or an ARN this server resolves otherwise:
  // shown whole (the canvas ellipsises the end if it must).
  return { kind: "resource", label: resource };
}

export function taskTargetText(state: JsonObject): string {
  const t = taskTarget(state);
  const suffix = t.pattern === "callback" ? " · waits for callback" : t.pattern === "sync" ? " · waits for completion" : "";
  return `${t.label}${suffix}`;
}
