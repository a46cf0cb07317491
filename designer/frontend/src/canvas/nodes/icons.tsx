// Small inline icons per state type (no icon font: the page loads nothing from outside).

export const TYPE_COLORS: Record<string, string> = {
  Task: "#e07700",
  Pass: "#5f6b7a",
  Choice: "#7d4cdb",
  Wait: "#0972d3",
  Succeed: "#1d8102",
  Fail: "#d13212",
  Parallel: "#0a7d89",
  Map: "#2e7d32",
};

const PATHS: Record<string, string> = {
  Task: "M4 6h16v12H4z M8 10h8 M8 14h5",
  Pass: "M4 12h13 M13 7l5 5-5 5",
  Choice: "M12 3l9 9-9 9-9-9z",
  Wait: "M12 4a8 8 0 1 0 0.01 0 M12 8v4l3 2",
  Succeed: "M5 12l5 5 9-10",
  Fail: "M6 6l12 12 M18 6L6 18",
  Parallel: "M7 4v16 M12 4v16 M17 4v16",
  Map: "M4 7h12l-3-3 M20 17H8l3 3 M4 7v4 M20 17v-4",
};

export function TypeIcon({ type, size = 18 }: { type: string; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={PATHS[type] ?? PATHS.Pass} />
    </svg>
  );
}
