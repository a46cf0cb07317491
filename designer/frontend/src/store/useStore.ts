import { useSyncExternalStore } from "react";
import type { DesignerState, Store } from "./store";

/** Subscribe a component to one slice of the store (re-renders when the slice changes identity). */
export function useStore<T>(store: Store, select: (s: DesignerState) => T): T {
  return useSyncExternalStore(
    (cb) => store.subscribe(cb),
    () => select(store.get()),
  );
}
