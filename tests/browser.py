#!/usr/bin/env python3
"""Drive headless Chromium over the DevTools protocol (--remote-debugging-pipe,
standard library only) and check ksift's HTML pages by their DOM.

    browser.py show PAGE.html EXPECTED_RECORDS SHOT.png [--inject] [:: JOB]...
    browser.py fleet PAGE.html SHOT.png [--inject] [:: JOB]...
    browser.py load PAGE.html            (prints load time in ms; for make bench)

The contract (tests/html.sh): one timeline mark per record, marks link to
existing incidents, the filter hides what it should, a deep link scrolls to
its incident and survives a reload, no console error, no exception, no CSP
violation, no network request other than the page itself, and injected log
strings render as text (no script runs, no element is injected). Prints
"ok ..." / "FAIL ..." lines; exit status 1 on any failure.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
                "--remote-debugging-pipe", "--window-size=1400,1000"]


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    def __init__(self):
        exe = chromium()
        if not exe:
            raise SystemExit("FAIL no chromium (bootstrap.sh installs Debian's chromium)")
        self.profile = tempfile.mkdtemp(prefix="ksift-chromium-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        # Chromium reads commands on fd 3 and writes replies on fd 4.
        def fds():
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)
        self.proc = subprocess.Popen([exe] + CHROME_FLAGS + ["--user-data-dir=" + self.profile,
                                                             "about:blank"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=fds,
                                     pass_fds=(to_chrome_r, from_chrome_w, 3, 4))
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(domain + ".enable", session=True)

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read(self, deadline):
        while b"\0" not in self.buf:
            if time.time() > deadline:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=False, timeout=60):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_event(self, method, timeout=60):
        deadline = time.time() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e["method"] == method:
                    return self.events.pop(i)
            self.events.append(self._read(deadline))

    def js(self, expr):
        r = self.call("Runtime.evaluate", {"expression": expr, "returnByValue": True,
                                           "awaitPromise": True}, session=True)
        if "exceptionDetails" in r:
            raise RuntimeError("evaluate %s: %s" % (expr, r["exceptionDetails"]))
        return r["result"].get("value")

    def navigate(self, url):
        self.events = [e for e in self.events if e["method"] != "Page.loadEventFired"]
        start = time.time()
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_event("Page.loadEventFired")
        return time.time() - start

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", {"format": "png"}, session=True)["data"]
        import base64
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def problems(self, page_url):
        """Console errors, exceptions, CSP violations, requests elsewhere."""
        out = []
        base = page_url.split("#")[0]
        for e in self.events:
            m, p = e["method"], e.get("params", {})
            if m == "Runtime.exceptionThrown":
                out.append("exception: %s" % p["exceptionDetails"].get("text"))
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "warning", "assert"):
                out.append("console %s: %s" % (p["type"], [a.get("value") for a in p.get("args", [])]))
            elif m == "Log.entryAdded" and p["entry"].get("level") in ("error", "warning"):
                out.append("log: %s" % p["entry"].get("text"))
            elif m == "Network.requestWillBeSent":
                url = p["request"]["url"]
                if url.split("#")[0] != base:
                    out.append("request: %s" % url)
        return out


failures = 0


def check(cond, what):
    global failures
    if cond:
        print("ok   " + what)
    else:
        failures += 1
        print("FAIL " + what)


INJECTED = "window.__ksift_pwned"


def check_injection(b):
    check(b.js("typeof %s === 'undefined'" % INJECTED), "no injected script ran")
    check(b.js("document.querySelectorAll('img,iframe,object,embed,video,audio').length") == 0,
          "no element injected (img, iframe, object, embed, media)")
    check(b.js("document.querySelectorAll('script').length") <= 2,
          "only ksift's own scripts (data block and code)")
    check(b.js("Array.from(document.querySelectorAll('[href]')).every(a => "
               "/^(#|https?:)/.test(a.getAttribute('href')))"),
          "every link is a fragment or http(s)")
    check(b.js("Array.from(document.querySelectorAll('*')).every(e => "
               "Array.from(e.attributes).every(a => !/^on/i.test(a.name)))"),
          "no event-handler attribute anywhere")
    body = b.js("document.body.textContent")
    check("</script>" in body and "onerror" in body, "the injected markup shows as text")
    # ksift drops control bytes as it reads a log (normalize.c) and the page
    # shows any that still come (a signature file, a database) as their
    # pictures (U+2400...; test-html checks the escaper): none reaches the DOM.
    check(not any((ord(c) < 0x20 and c not in "\n\t\r") or 0x7f <= ord(c) <= 0x9f
                  for c in body),
          "no control character in the page's text")


def show(b, page, expected, shot, inject):
    url = "file://" + os.path.abspath(page)
    b.events = []
    if True:
        b.navigate(url)
        n_sections = b.js("document.querySelectorAll('section.inc').length")
        n_marks = b.js("document.querySelectorAll('#timeline a.mark').length")
        check(n_sections == expected, "%d incident sections, %d records scanned" % (n_sections, expected))
        check(n_marks == expected, "%d timeline marks, one per record" % n_marks)
        check(b.js("Array.from(document.querySelectorAll('#timeline a.mark')).every(m => "
                   "document.getElementById(m.getAttribute('href').slice(1)))"),
              "every mark links to an incident on the page")
        check(b.js("Array.from(document.querySelectorAll('#timeline a.mark')).every(m => "
                   "m.querySelector('title') && m.querySelector('title').textContent.length > 3)"),
              "every mark has a title to show on hover")
        data = b.js("JSON.parse(document.getElementById('ksift-data').textContent).length")
        check(data == expected, "the embedded JSON parses and has every incident (%s)" % data)
        check(not b.js("document.getElementById('filter').hidden"), "the script ran (filter shown)")
        # Filter by kind: what stays visible is that kind, or holds it nested.
        kinds = b.js("Array.from(document.querySelectorAll('#f-kind option')).map(o => o.value).filter(Boolean)")
        for kind in kinds[:3]:
            res = b.js("""(() => { const k = document.getElementById('f-kind'); k.value = %s;
                k.dispatchEvent(new Event('input'));
                const all = Array.from(document.querySelectorAll('section.inc'));
                const bad = all.filter(s => !s.hidden && s.dataset.kind !== k.value &&
                    !s.querySelector('section.inc[data-kind="' + k.value + '"]:not([hidden])'));
                const missing = all.filter(s => s.hidden && s.dataset.kind === k.value);
                const marks = Array.from(document.querySelectorAll('#timeline a.mark')).filter(m =>
                    m.classList.contains('off') !== document.getElementById('incident-' + m.dataset.n).hidden);
                const shown = all.filter(s => !s.hidden && s.dataset.kind === k.value).length;
                k.value = ''; k.dispatchEvent(new Event('input'));
                return [bad.length, missing.length, marks.length, shown]; })()""" % json.dumps(kind))
            check(res[0] == 0 and res[1] == 0 and res[2] == 0 and res[3] > 0,
                  "kind filter %s: %d shown, others hidden, marks follow (%s)" % (kind, res[3], res))
        res = b.js("""(() => { const t = document.getElementById('f-text');
            const first = document.querySelector('section.inc');
            const word = first.dataset.text.split(' ').filter(w => w.length > 5).pop() || first.dataset.kind;
            t.value = word; t.dispatchEvent(new Event('input'));
            const vis = Array.from(document.querySelectorAll('section.inc')).filter(s => !s.hidden);
            const ok = !first.hidden && vis.every(s => s.dataset.text.toLowerCase().includes(word.toLowerCase()) ||
                s.querySelector('section.inc:not([hidden])'));
            t.value = ''; t.dispatchEvent(new Event('input'));
            return [ok, vis.length, word]; })()""")
        check(res[0], "text filter %r keeps only what contains it (%d shown)" % (res[2], res[1]))
        # Deep link to the last incident, then a reload.
        last = expected
        for attempt in ("link", "reload"):
            if attempt == "link":
                b.navigate("about:blank")	# a fresh load, not a same-page jump
                b.navigate(url + "#incident-%d" % last)
            else:
                b.call("Page.reload", {}, session=True)
                b.wait_event("Page.loadEventFired")
            time.sleep(0.5)	# the page re-scrolls once the sections above are drawn
            pos = b.js("""(() => { const e = document.getElementById('incident-%d');
                const r = e.getBoundingClientRect();
                return [r.top, window.scrollY, e.classList.contains('target'), window.innerHeight,
                        document.documentElement.scrollHeight]; })()""" % last)
            scrollable = pos[4] > pos[3] + 50
            check(-2 <= pos[0] < pos[3] and pos[2] and (pos[1] > 0 or not scrollable),
                  "#incident-%d after %s: in view at %.0f px, scrolled %.0f" % (last, attempt, pos[0], pos[1]))
        if inject:
            check_injection(b)
        b.js("window.scrollTo(0, 0)")
        b.screenshot(shot)
        probs = b.problems(url)
        check(not probs, "no console error, exception, CSP violation or request: %s" % probs)


def fleet(b, page, shot, inject):
    url = "file://" + os.path.abspath(page)
    b.events = []
    if True:
        b.navigate(url)
        rows = b.js("document.querySelectorAll('tr[data-filter]').length")
        check(rows > 0, "%d per-host rows" % rows)
        check(b.js("document.querySelectorAll('button[data-copy]:not([hidden])').length") ==
              b.js("document.querySelectorAll('pre[id^=sig-]').length"),
              "a copy button per signature skeleton, shown by the script")
        check(b.js("Array.from(document.querySelectorAll('pre[id^=sig-]')).every(p => "
                   "/^id: unknown-/.test(p.textContent) && /\\nkind: /.test(p.textContent))"),
              "skeletons start with id and name the kind")
        hosts = b.js("Array.from(document.querySelectorAll('#f-host option')).map(o => o.value).filter(Boolean)")
        if hosts:
            res = b.js("""(() => { const h = document.getElementById('f-host'); h.value = %s;
                h.dispatchEvent(new Event('input'));
                const rows = Array.from(document.querySelectorAll('tr[data-filter]'));
                const bad = rows.filter(r => !r.hidden && r.dataset.host !== h.value).length;
                const shown = rows.filter(r => !r.hidden).length;
                h.value = ''; h.dispatchEvent(new Event('input'));
                return [bad, shown]; })()""" % json.dumps(hosts[0]))
            check(res[0] == 0 and res[1] > 0, "host filter %s: %d rows, no other host's" % (hosts[0], res[1]))
        if inject:
            check_injection(b)
        b.screenshot(shot)
        probs = b.problems(url)
        check(not probs, "no console error, exception, CSP violation or request: %s" % probs)


def load(page):
    url = "file://" + os.path.abspath(page)
    b = Browser()
    try:
        b.navigate("about:blank")
        secs = b.navigate(url)
        print("%.0f" % (secs * 1000))
    finally:
        b.close()


def main(argv):
    if len(argv) >= 3 and argv[1] == "load":
        load(argv[2])
        return 0
    # Jobs separated by "::", all in one browser.
    jobs, cur = [], []
    for a in argv[1:]:
        if a == "::":
            jobs.append(cur)
            cur = []
        else:
            cur.append(a)
    jobs.append(cur)
    b = Browser()
    try:
        for job in jobs:
            inject = "--inject" in job
            args = [a for a in job if a != "--inject"]
            print("== %s" % " ".join(job))
            if args and args[0] == "show" and len(args) == 4:
                show(b, args[1], int(args[2]), args[3], inject)
            elif args and args[0] == "fleet" and len(args) == 3:
                fleet(b, args[1], args[2], inject)
            else:
                print(__doc__)
                return 2
    finally:
        b.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
