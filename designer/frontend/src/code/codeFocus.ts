// "Show me this place in the Definition tab": the Problems panel asks for a text offset
// (where the JSON breaks); the code view moves its cursor there and scrolls to it.

const listeners = new Set<(offset: number) => void>();

export const codeFocus = {
  reveal(offset: number) {
    for (const l of listeners) l(offset);
  },
  subscribe(l: (offset: number) => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};
