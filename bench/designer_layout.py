"""Designer import benchmark: a 300-state definition into the built designer page in headless
Chromium, against the 1 s ceiling, two ways:

* through the Import dialog, as a person does it: open Import, paste the JSON (Ctrl+V from the
  clipboard), press Import. Timed from the click on Import until the machine is drawn (laid
  out; the first state and the states on screen are in the page) and until it is editable (a
  click on a state opens it in the inspector). The paste is timed apart.
* through the JS API (`window.stepstudio.designer.load`), until laid out and drawn.

    .venv/bin/python bench/designer_layout.py [--states 300] [--runs 5]

Serves static/designer/ from a local HTTP server on 127.0.0.1 (no Django: validation falls back
to the local checks), so it measures the front end alone: JSON → graph, ELK layout in the Web
Worker, React Flow render. Every run imports a definition with fresh state names: the designer
keeps the layouts of the last two shapes, and a repeat would measure that cache. The first run
of each kind (cold: JIT, worker start-up) is reported apart from the median of the others.

Why the issue saw ~7 s through the dialog: Playwright's `fill()` (and `keyboard.insert_text`)
hands the text to Chromium's editing code as one typed insertion, which is quadratic in the
lines of a multi-line text: 3 s for a 120-state JSON, 30 s and more for 300 states, before the
designer runs any code. A paste is one clipboard insertion (~0.15 s for 300 states).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
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


def renamed(defn: dict, tag: str) -> dict:
    """The same machine with every state name suffixed (a new shape for the layout cache)."""
    text = json.dumps(defn)
    for name in sorted(_names(defn), key=len, reverse=True):
        text = text.replace(f'"{name}"', f'"{name}{tag}"')
    return json.loads(text)


def _names(defn: dict) -> set[str]:
    out = set()
    for name, st in defn["States"].items():
        out.add(name)
        for b in st.get("Branches", []):
            out |= _names(b)
        if "ItemProcessor" in st:
            out |= _names(st["ItemProcessor"])
    return out


DRAWN = """async ([start, since]) => {
    // Drawn: the layout landed (the first state and a screenful of states are in the page).
    await new Promise((resolve) => {
        const check = () => document.querySelector(`[data-state-name="${start}"]`)
            && document.querySelectorAll('[data-state-name]').length >= 10
            ? requestAnimationFrame(() => resolve()) : requestAnimationFrame(check);
        check();
    });
    return performance.now() - (since ?? window.__importClick);
}"""


def through_dialog(page, defn: dict) -> tuple[float, float, float | None]:
    """(paste ms, click → drawn ms, click → editable ms; None when a state cannot be clicked:
    builds before Fit kept a readable zoom drew 300 states at 5 %)."""
    text = json.dumps(defn, indent=1)
    page.evaluate("(t) => navigator.clipboard.writeText(t)", text)
    page.click('[data-action="import"]')
    page.click('[data-testid="import-text"]')
    pasted = page.evaluate("performance.mark('import-paste'), performance.now()")
    page.keyboard.press("Control+V")
    page.wait_for_function("(n) => document.querySelector('[data-testid=import-text]').value.length >= n",
                           arg=len(text))
    paste_ms = page.evaluate("(t) => performance.now() - t", pasted)
    page.evaluate("""() => document.addEventListener('click', (e) => {
        if (e.target.closest('[data-action="do-import"]')) {
            window.__importClick = performance.now();
            performance.mark('import-click');
        }
    }, {capture: true, once: true})""")
    page.click('[data-action="do-import"]')
    start = defn["StartAt"]
    drawn = page.evaluate(DRAWN, [start, None])
    page.evaluate("performance.mark('import-drawn')")
    try:
        page.click(f'[data-state-name="{start}"]', timeout=5000)
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError: too small to click
        return paste_ms, drawn, None
    page.wait_for_selector(f'[data-inspector-state="{start}"]')
    editable = page.evaluate("performance.mark('import-editable'), performance.now() - window.__importClick")
    return paste_ms, drawn, editable


def cpu_by_thread(trace: dict, since: str, until: str) -> dict[str, float]:
    """CPU milliseconds (the trace's thread time, `tdur`) of each thread's top-level tasks
    that start between two marks. Unlike wall time, it does not grow when other processes
    keep the machine's two cores busy."""
    events = trace["traceEvents"]
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in events
             if e.get("ph") == "M" and e.get("name") == "thread_name"}
    marks = {e["name"]: e["ts"] for e in events if e.get("name") in (since, until)}
    start, end = marks[since], marks[until]
    cpu: dict[str, float] = {}
    for e in events:
        if e.get("ph") == "X" and "toplevel" in e.get("cat", "") and "tdur" in e and start <= e["ts"] <= end:
            thread = names.get((e["pid"], e["tid"]), str(e["tid"]))
            cpu[thread] = cpu.get(thread, 0.0) + e["tdur"] / 1000
    return cpu


def through_api(page, defn: dict) -> float:
    return page.evaluate("""async ([d, drawn]) => {
        const t0 = performance.now();
        window.stepstudio.designer.load(d);
        await window.stepstudio.designer.whenLaidOut();
        return await (eval(drawn))([d.StartAt, t0]);
    }""", [defn, DRAWN])


def summary(name: str, times: list[float], cold: float | None) -> str:
    if not times:
        return f"{name}: not measurable (a state could not be clicked)"
    return (f"{name}: median {statistics.median(times):.0f} ms (min {min(times):.0f}, max {max(times):.0f}, "
            f"{len(times)} runs; cold first run {'n/a' if cold is None else f'{cold:.0f} ms'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--states", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--root", default=str(ROOT),
                        help="a directory holding static/designer/ (e.g. another commit's build, to compare)")
    args = parser.parse_args()

    defn = definition(args.states)
    n = count_states(defn)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=args.root))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"

    from playwright.sync_api import sync_playwright

    results: dict[str, list[float]] = {"paste": [], "drawn": [], "editable": [], "api": []}
    colds: dict[str, float] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        context = browser.new_context(viewport={"width": 1440, "height": 900},
                                      permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("window.stepstudio && window.stepstudio.designer")
        # A person opens the page, then imports: give it the moment it has then.
        page.wait_for_timeout(2000)
        for run in range(args.runs + 1):
            for kind in ("dialog", "api"):
                # From an empty machine, so every run draws the whole import.
                page.evaluate("window.stepstudio.designer.load({StartAt: '', States: {}})")
                page.evaluate("window.stepstudio.designer.whenLaidOut()")
                page.wait_for_timeout(300)
                this = renamed(defn, f"_{kind[0]}{run}")
                figures = {"api": through_api(page, this)} if kind == "api" else dict(
                    zip(("paste", "drawn", "editable"), through_dialog(page, this)))
                for key, ms in figures.items():
                    if ms is None:
                        continue
                    if run == 0:  # the first run also warms up the worker and the JIT
                        colds[key] = ms
                    else:
                        results[key].append(ms)
        # One more import through the dialog, traced: the CPU it costs, whatever the load.
        page.evaluate("window.stepstudio.designer.load({StartAt: '', States: {}})")
        page.wait_for_timeout(300)
        browser.start_tracing(page=page, categories=["toplevel", "disabled-by-default-devtools.timeline",
                                                     "blink.user_timing"])
        through_dialog(page, renamed(defn, "_traced"))
        trace = json.loads(browser.stop_tracing())
        marks = {e["name"] for e in trace["traceEvents"] if e.get("cat") == "blink.user_timing"}
        until = "import-editable" if "import-editable" in marks else "import-drawn"
        after_click = cpu_by_thread(trace, "import-click", until)
        after_paste = cpu_by_thread(trace, "import-paste", until)
        states = page.evaluate("Object.keys(window.stepstudio.designer.toASL().States).length")
        browser.close()
    server.shutdown()
    assert states == len(defn["States"]), "the last import is the whole definition"
    print(f"designer import of {n} states (ceiling 1000 ms), load average {os.getloadavg()[0]:.1f}:")
    print("  " + summary("through the dialog, click Import → drawn", results["drawn"], colds["drawn"]))
    print("  " + summary("through the dialog, click Import → editable", results["editable"], colds.get("editable")))
    print("  " + summary("paste into the dialog (before the click)", results["paste"], colds["paste"]))
    print("  " + summary("JS API load() → laid out and drawn", results["api"], colds["api"]))
    worker = lambda cpu: sum(v for k, v in cpu.items() if "DedicatedWorker" in k)  # noqa: E731
    end = until.split("-")[1]
    print(f"  CPU time of one import through the dialog (traced): click → {end}, page main thread "
          f"{after_click.get('CrRendererMain', 0.0):.0f} ms, layout worker {worker(after_click):.0f} ms; "
          f"paste → {end}, main thread {after_paste.get('CrRendererMain', 0.0):.0f} ms, "
          f"layout worker {worker(after_paste):.0f} ms")


if __name__ == "__main__":
    main()
