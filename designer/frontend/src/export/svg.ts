// The graph as a standalone SVG (for "Export as SVG/PNG"): drawn from the
// layout, not screenshotted, so it is crisp and contains no app chrome.
// All user text goes through escapeXml.

import type { Graph } from "../asl/graph";
import { TYPE_COLORS } from "../canvas/nodes/icons";
import { routePath } from "../canvas/edges/TransitionEdge";
import type { Route } from "../layout/elk";
import type { Box, XY } from "../store/store";

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** Absolute boxes: layout positions are relative to each container. */
export function absoluteBoxes(graph: Graph, boxes: Record<string, Box>, manual: Record<string, XY> = {}): Record<string, Box> {
  const out: Record<string, Box> = {};
  for (const node of graph.nodes) {
    const box = boxes[node.id];
    if (!box) continue;
    const own = manual[node.id] ?? box;
    const parent = node.parentId ? out[node.parentId] : undefined;
    out[node.id] = { x: own.x + (parent?.x ?? 0), y: own.y + (parent?.y ?? 0), width: box.width, height: box.height };
  }
  return out;
}

const EDGE_COLORS: Record<string, string> = { catch: "#d13212", default: "#7d4cdb", choice: "#7d4cdb" };

export function graphToSvg(graph: Graph, boxes: Record<string, Box>, routes: Record<string, Route>): string {
  const abs = absoluteBoxes(graph, boxes);
  const all = Object.values(abs);
  const pad = 24;
  const minX = Math.min(0, ...all.map((b) => b.x)) - pad;
  const minY = Math.min(0, ...all.map((b) => b.y)) - pad;
  const maxX = Math.max(0, ...all.map((b) => b.x + b.width)) + pad;
  const maxY = Math.max(0, ...all.map((b) => b.y + b.height)) + pad;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${maxX - minX}" height="${maxY - minY}" viewBox="${minX} ${minY} ${maxX - minX} ${maxY - minY}" font-family="Helvetica, Arial, sans-serif">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#687078"/></marker></defs>`,
    `<rect x="${minX}" y="${minY}" width="${maxX - minX}" height="${maxY - minY}" fill="#ffffff"/>`,
  );
  for (const node of graph.nodes) {
    const b = abs[node.id];
    if (!b) continue;
    if (node.kind === "scope") {
      parts.push(`<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="6" fill="#f8f9fa" stroke="#aab7b8" stroke-dasharray="4 3"/>`);
    } else if (node.kind === "slot") {
      parts.push(`<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="6" fill="#ffffff" stroke="#7d4cdb" stroke-dasharray="5 4"/>`);
    } else if (node.kind === "start" || node.kind === "end") {
      parts.push(
        `<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="${b.height / 2}" fill="#232f3e"/>`,
        `<text x="${b.x + b.width / 2}" y="${b.y + b.height / 2 + 4}" text-anchor="middle" font-size="12" fill="#fff">${node.kind === "start" ? "Start" : "End"}</text>`,
      );
    } else {
      const color = TYPE_COLORS[node.stateType ?? ""] ?? "#5f6b7a";
      const container = node.stateType === "Parallel" || node.stateType === "Map";
      parts.push(
        `<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="6" fill="${container ? "#fbfbfc" : "#ffffff"}" stroke="#aab7b8"/>`,
        `<rect x="${b.x}" y="${b.y}" width="4" height="${container ? 36 : b.height}" fill="${color}"/>`,
        `<text x="${b.x + 14}" y="${b.y + 22}" font-size="13" font-weight="bold" fill="#16191f">${escapeXml(node.name ?? "")}</text>`,
        `<text x="${b.x + 14}" y="${b.y + 38}" font-size="11" fill="#5f6b7a">${escapeXml(node.stateType ?? "")}</text>`,
      );
    }
  }
  for (const edge of graph.edges) {
    const route = routes[edge.id];
    if (!route || route.points.length < 2) continue;
    const { d } = routePath(route.points);
    const mid = route.label ?? routePath(route.points).mid;
    const color = EDGE_COLORS[edge.kind] ?? "#687078";
    const dash = edge.kind === "catch" || edge.kind === "default" ? ` stroke-dasharray="6 4"` : "";
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"${dash} marker-end="url(#arrow)"/>`);
    if (edge.label) {
      parts.push(`<text x="${mid.x}" y="${mid.y + 4}" text-anchor="middle" font-size="11" fill="${color}">${escapeXml(edge.label)}</text>`);
    }
  }
  parts.push("</svg>");
  return parts.join("\n");
}

/** Rasterise the SVG in the browser (PNG export). */
export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  const img = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error("could not render the SVG"));
      img.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = img.width * scale;
    canvas.height = img.height * scale;
    const ctx = canvas.getContext("2d")!;
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    return await new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("PNG failed"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function download(filename: string, data: Blob | string, type = "application/json"): void {
  const blob = typeof data === "string" ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
