import { describe, expect, it } from "vitest";
import { leavingHref, type AnchorLike, type ClickLike } from "./leaveGuard";

const here = { href: "http://host/designer/job-poller/" };
const click = (over: Partial<ClickLike> = {}): ClickLike => ({ button: 0, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, defaultPrevented: false, ...over });
const link = (href: string, attrs: Record<string, string> = {}): AnchorLike => ({
  href: new URL(href, here.href).href,
  target: attrs.target ?? "",
  hasAttribute: (n) => n in attrs,
  getAttribute: (n) => (n === "href" ? href : (attrs[n] ?? null)),
});

describe("leavingHref", () => {
  it("catches a plain click on an in-app link (top bar, breadcrumb)", () => {
    expect(leavingHref(click(), link("/state-machines/"), here)).toBe("http://host/state-machines/");
    expect(leavingHref(click(), link("/executions/"), here)).toBe("http://host/executions/");
  });

  it("lets through what does not leave the page", () => {
    expect(leavingHref(click({ ctrlKey: true }), link("/executions/"), here)).toBeNull();
    expect(leavingHref(click({ button: 1 }), link("/executions/"), here)).toBeNull();
    expect(leavingHref(click(), link("/executions/", { target: "_blank" }), here)).toBeNull();
    expect(leavingHref(click(), link("/export.json", { download: "" }), here)).toBeNull();
    expect(leavingHref(click(), link("#states"), here)).toBeNull();
    expect(leavingHref(click(), link("/designer/job-poller/#x"), here)).toBeNull();
    expect(leavingHref(click(), link("mailto:ops@example.com"), here)).toBeNull();
    expect(leavingHref(click({ defaultPrevented: true }), link("/executions/"), here)).toBeNull();
  });
});
