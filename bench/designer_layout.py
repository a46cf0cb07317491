"""Designer layout benchmark: import a 300-state definition into the built designer page in
headless Chromium and time until every state is laid out and drawn (target: < 1 s).

    .venv/bin/python bench/designer_layout.py [--states 300] [--runs 5]

Serves static/designer/ from a local HTTP server on 127.0.0.1 (no Django needed), so it
measures the front end alone: ASL → graph, ELK layout in the Web Worker, React Flow render.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/designer/designer.css"></head>
<body class="designer-page"><main class="designer-main">
<script id="designer-config" type="application/json">{"name": null, "csrfToken": null}</script>
<div id="designer-root" class="designer-root"></div></main>
<script type="module" src="/static/designer/designer.js"></script></body></html>"""


def definition(states: int) -> dict:
    """A realistic mix: task chains with retries and catches, Choice loops, Wait,
    Parallel branches and a Map processor, `states` states in all (nested ones included)."""
    out: dict[str, dict] = {}
    names: list[str] = []
    i = 0

    def name(kind: str) -> str:
        nonlocal i
        i += 1
        return f"{kind}{i:03d}"

    while i < states - 8:
        block = len(names) % 4
        if block == 0:
            t, w, c = name("Task"), name("Wait"), name("Check")
            out[t] = {"Type": "Task", "Resource": "arn:stepstudio:task:work", "Next": w,
                      "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}],
                      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}]}
            out[w] = {"Type": "Wait", "Seconds": 1, "Next": c}
            out[c] = {"Type": "Choice", "Choices": [
                {"Variable": "$.status", "StringEquals": "RUNNING", "Next": w}], "Default": None}
            names += [t, w, c]
        elif block == 1:
            p = name("Par")
            branches = []
            for _ in range(2):
                a, b = name("A"), name("B")
                branches.append({"StartAt": a, "States": {
                    a: {"Type": "Pass", "Next": b}, b: {"Type": "Pass", "End": True}}})
            out[p] = {"Type": "Parallel", "Branches": branches, "Next": None}
            names.append(p)
        elif block == 2:
            m, x, y = name("Map"), name("X"), name("Y")
            out[m] = {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"}, "StartAt": x, "States": {
                    x: {"Type": "Task", "Resource": "arn:stepstudio:task:item", "Next": y},
                    y: {"Type": "Pass", "End": True}}}, "Next": None}
            names.append(m)
        else:
            s = name("Pass")
            out[s] = {"Type": "Pass", "Next": None}
            names.append(s)
    while i < states - 2:  # top up with Pass states to hit the exact count
        s = name("Pass")
        out[s] = {"Type": "Pass", "Next": None}
    out["Done"] = {"Type": "Succeed"}
    out["Failed"] = {"Type": "Fail", "Error": "Failed"}
    # Wire each top-level block to the next one.
    order = [n for n in out if n not in ("Done", "Failed")]
    heads = [n for n in order if not n.startswith(("Wait", "Check"))]
    for idx, n in enumerate(order):
        st = out[n]
        nxt = None
        if n in heads:
            later = [h for h in heads[heads.index(n) + 1:]]
            nxt = later[0] if later else "Done"
        if st["Type"] == "Choice":
            st["Default"] = heads[heads.index(order[idx - 2]) + 1] if heads.index(order[idx - 2]) + 1 < len(heads) else "Done"
        elif st.get("Next", "x") is None:
            st["Next"] = nxt
    return {"Comment": f"{states}-state benchmark", "StartAt": order[0], "States": out}


def count_states(defn: dict) -> int:
    total = 0
    for st in defn["States"].values():
        total += 1
        for b in st.get("Branches", []):
            total += count_states(b)
        if "ItemProcessor" in st:
            total += count_states(st["ItemProcessor"])
    return total


class Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        if self.path in ("/", "/index.html"):
            body = PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def do_POST(self):  # noqa: N802 — no API here; the page falls back to local validation
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--states", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    defn = definition(args.states)
    n = count_states(defn)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(ROOT)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"

    from playwright.sync_api import sync_playwright

    times = []
    cold = 0.0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(url)
        page.wait_for_function("window.stepstudio && window.stepstudio.designer")
        for run in range(args.runs + 1):
            # Alternate with an empty machine so every run lays out from scratch.
            page.evaluate("window.stepstudio.designer.load({StartAt: '', States: {}})")
            page.evaluate("window.stepstudio.designer.whenLaidOut()")
            ms = page.evaluate("""async ([d, n]) => {
                const t0 = performance.now();
                window.stepstudio.designer.load(d);
                await window.stepstudio.designer.whenLaidOut();
                // Drawn: every state node is in the DOM with its laid-out position.
                await new Promise((resolve) => {
                    const check = () => document.querySelectorAll('[data-state-name]').length >= n
                        ? requestAnimationFrame(() => resolve()) : requestAnimationFrame(check);
                    check();
                });
                return performance.now() - t0;
            }""", [defn, n])
            if run == 0:  # the first run also warms up the worker and the JIT
                cold = ms
            else:
                times.append(ms)
        drawn = page.evaluate("document.querySelectorAll('[data-state-name]').length")
        browser.close()
    server.shutdown()
    assert drawn == n, f"{drawn} of {n} states drawn"
    median = statistics.median(times)
    print(f"designer layout: {n} states imported, laid out and drawn in {median:.0f} ms "
          f"(median of {len(times)}; min {min(times):.0f}, max {max(times):.0f}; first, cold run "
          f"{cold:.0f} ms; target < 1000 ms)")


if __name__ == "__main__":
    main()
