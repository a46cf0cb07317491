// Leaving the page with unsaved work asks first: closing or reloading the tab (the
// browser's own beforeunload prompt), and in-app navigation — any link on the page,
// the site's top bar and breadcrumbs included, and forms outside the designer such as
// Log out — through the designer's own dialog. Links that open elsewhere (new tab,
// download, same-page anchors) do not leave and pass untouched.

export interface ClickLike {
  button: number;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
}

export interface AnchorLike {
  href: string;
  target: string;
  hasAttribute(name: string): boolean;
  getAttribute(name: string): string | null;
}

/** The URL a click on this link would leave the page for, or null when it does not leave it. */
export function leavingHref(click: ClickLike, anchor: AnchorLike, here: { href: string }): string | null {
  if (click.defaultPrevented || click.button !== 0) return null;
  if (click.ctrlKey || click.metaKey || click.shiftKey || click.altKey) return null; // new tab or window
  if (anchor.hasAttribute("download")) return null;
  if (anchor.target && anchor.target !== "_self") return null;
  const raw = anchor.getAttribute("href");
  if (!raw || raw.startsWith("#") || raw.startsWith("javascript:")) return null;
  const to = new URL(anchor.href, here.href);
  const from = new URL(here.href);
  if (to.protocol !== "http:" && to.protocol !== "https:") return null; // mailto: and the like
  // Same page, another fragment: no navigation.
  if (to.origin === from.origin && to.pathname === from.pathname && to.search === from.search && to.hash !== from.hash) return null;
  return to.href;
}

export interface LeaveGuard {
  /** Navigate, asking first when there is unsaved work. */
  navigate(href: string): void;
  dispose(): void;
}

interface Options {
  isDirty: () => boolean;
  /** Ask the person; resolves true to leave. */
  confirm: () => Promise<boolean>;
  /** Elements inside this root are the designer's own (its forms never navigate). */
  root: HTMLElement | null;
  win?: Window;
}

export function installLeaveGuard({ isDirty, confirm, root, win = window }: Options): LeaveGuard {
  let leaving = false;
  const doc = win.document;
  const go = async (leave: () => void) => {
    if (!leaving && isDirty() && !(await confirm())) return;
    leaving = true;
    leave();
  };
  const onBeforeUnload = (e: BeforeUnloadEvent) => {
    if (leaving || !isDirty()) return;
    e.preventDefault();
    // Older browsers show the prompt only when returnValue is set.
    e.returnValue = "";
  };
  const onClick = (e: MouseEvent) => {
    const anchor = (e.target as Element | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
    if (!anchor || leaving || !isDirty()) return;
    const href = leavingHref(e, anchor, win.location);
    if (!href) return;
    e.preventDefault();
    void go(() => win.location.assign(href));
  };
  const onSubmit = (e: SubmitEvent) => {
    const form = e.target as HTMLFormElement;
    if (leaving || !isDirty() || (root && root.contains(form)) || e.defaultPrevented) return;
    e.preventDefault();
    // form.submit() sends it without firing submit again.
    void go(() => form.submit());
  };
  win.addEventListener("beforeunload", onBeforeUnload);
  // Capture: decide before any link handler of the page frame runs.
  doc.addEventListener("click", onClick, true);
  doc.addEventListener("submit", onSubmit, true);
  return {
    navigate: (href) => void go(() => win.location.assign(href)),
    dispose() {
      win.removeEventListener("beforeunload", onBeforeUnload);
      doc.removeEventListener("click", onClick, true);
      doc.removeEventListener("submit", onSubmit, true);
    },
  };
}
