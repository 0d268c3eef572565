#!/bin/sh
# HTML pages in a real browser: ksift show --html and ksift report --html on
# the corpus and on logs and signatures carrying markup, rendered by headless
# Chromium (tests/browser.py speaks the DevTools protocol over a pipe) and
# checked by their DOM: one timeline mark per record, filters, deep links,
# no console error, no request, injected strings as text. Golden HTML is not
# compared: the DOM checks are the contract. Screenshots of every page are
# kept in tests/html-artefacts/ (override with HTML_ARTEFACTS).
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
art=${HTML_ARTEFACTS:-$(pwd)/tests/html-artefacts}
mkdir -p "$art" || exit 99
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0; n=0
ok() { n=$((n + 1)); }
bad() { n=$((n + 1)); fail=$((fail + 1)); echo "FAIL: $*"; }

if ! command -v chromium >/dev/null 2>&1; then
	echo "FAIL: no chromium (bootstrap.sh installs Debian's chromium package)"
	echo "html: 0 passed, 1 failed"
	exit 1
fi
# The signature database make builds, for show and scan alike.
KSIFT_DB=${KSIFT_DB:-$(dirname "$ksift")/../signatures/ksift.db}
export KSIFT_DB

jobs=
add_job() { jobs="$jobs${jobs:+ :: }$*"; }

# show: the page for these inputs, checked against what scan finds in them.
show_page() {
	name=$1; shift
	inject=
	[ "$1" = --inject ] && { inject=--inject; shift; }
	"$ksift" show --html "$@" > "$art/$name.html"
	rc=$?
	[ $rc -le 1 ] || { bad "$name: show --html exit status $rc"; return; }
	records=$("$ksift" scan --json -q "$@" | wc -l)
	add_job show "$art/$name.html" "$records" "$art/$name.png" $inject
}

show_page show-kinds "$top"/corpus/kinds/*
show_page show-formats "$top"/corpus/formats/*
show_page show-sysrq "$top"/corpus/sysrq/*
show_page show-follows "$top/corpus/kinds/oops-then-hung-6.1.log"

# First cause first on the page: the hung task nests under the Oops whose
# task held its lock, the panic under the hung task.
python3 - "$art/show-follows.html" <<'PY' && ok || bad "show-follows: nesting"
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
oops = html.index('id="incident-1"'); hung = html.index('id="incident-2"'); panic = html.index('id="incident-3"')
# each opens inside the one before: no section closes between them
assert oops < hung < panic
assert "</section>" not in html[oops:panic], "consequences are not nested"
assert 'follows <a href="#incident-1">#1</a>' in html and 'follows <a href="#incident-2">#2</a>' in html
assert "waits for &amp;dev-&gt;mutex held by kworker/2:1/150" in html
PY

# Markup in host names, task names, module lists, panic messages and a
# signature's title, fix and links (javascript: is refused by the parser).
python3 - "$tmp/evil.json" <<'PY'
import json, sys
host = "evil<svg/onload=window.__ksift_pwned=1>"
msgs = ["------------[ cut here ]------------",
        "WARNING: CPU: 0 PID: 42 at drivers/evil/x.c:1 evil_probe+0x1/0x2 [evil]",
        "Modules linked in: </script><script>window.__ksift_pwned=2</script> evil",
        "CPU: 0 PID: 42 Comm: <img/src=x/onerror=window.__ksift_pwned=3> Not tainted 6.1.0 #1",
        "RIP: 0010:evil_probe+0x1/0x2 [evil]",
        "Call Trace:", " <TASK>", " evil_probe+0x1/0x2 [evil]", " really_probe+0x1/0x2", " </TASK>",
        "---[ end trace 0000000000000000 ]---"]
with open(sys.argv[1], "w") as f:
    for i, m in enumerate(msgs):
        f.write(json.dumps({"__REALTIME_TIMESTAMP": str(1764000000000000 + i), "_HOSTNAME": host,
                            "_TRANSPORT": "kernel", "SYSLOG_IDENTIFIER": "kernel", "PRIORITY": "4",
                            "_SOURCE_MONOTONIC_TIMESTAMP": str(100000000 + i), "MESSAGE": m}) + "\n")
PY
# The panic's title keeps its words up to the first variable part (one with
# a digit): the markup and the control characters are words without one.
printf '[  200.000000] Kernel panic - not syncing: </script><script>window.__ksift_pwned=four</script> <img src=x onerror=window.__ksift_pwned=five> \033[mred\007 javascript:alert(1)\n[  200.000001] CPU: 1 PID: 1 Comm: init Not tainted 6.1.0 #1\n[  200.000002] ---[ end Kernel panic - not syncing: x ]---\n' > "$tmp/evil.log"
mkdir -p "$tmp/sigs"
cat > "$tmp/sigs/evil.sig" <<'SIG'
id: evil-panic
title: <img src=x onerror=window.__ksift_pwned=6> evil </script>
severity: high
kind: panic
fix: upgrade <script>window.__ksift_pwned=7</script>
links: javascript:window.__ksift_pwned=8
  https://example.org/bug?a=1&b="<x>"
SIG
# The signature parser refuses a link that is neither http(s) nor a commit id,
# and markup in a URL: the page's own rule (below, and test-html) is the
# second line of defence.
"$ksift" db build "$tmp/sigs" -o "$tmp/evil.db" 2>"$tmp/sigerr" && bad "a javascript: link was accepted" ||
	{ grep -q "javascript:window.__ksift_pwned=8' is neither" "$tmp/sigerr" && ok || bad "link refusal: $(cat "$tmp/sigerr")"; }
sed -i -e 's|^links: javascript:.*|links: 19efbd93e6fb|' -e 's|^  https://example.org/bug.*|  https://example.org/bug?a=1\&b=2|' "$tmp/sigs/evil.sig"
"$ksift" db build "$tmp/sigs" -o "$tmp/evil.db" 2>/dev/null || bad "building the injection signature"
KSIFT_DB=$tmp/evil.db show_page show-inject --inject "$tmp/evil.json" "$tmp/evil.log"
grep -q '<a rel="noopener noreferrer" href="https://example.org/bug?a=1&amp;b=2">' "$art/show-inject.html" &&
	grep -q '<code>19efbd93e6fb</code>' "$art/show-inject.html" && ok ||
	bad "show-inject: links (http(s) as links, a commit id as text)"
grep -q "Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-" "$art/show-inject.html" && ok ||
	bad "show-inject: CSP meta tag"

# report --html: the corpus as a fleet, and the injection samples.
"$ksift" scan -q --results "$tmp/fleet.db" "$top/corpus" > /dev/null 2>&1
KSIFT_DB=$tmp/evil.db "$ksift" scan -q --results "$tmp/fleet.db" "$tmp/evil.json" "$tmp/evil.log" > /dev/null 2>&1
"$ksift" report --html "$tmp/fleet.db" > "$art/fleet.html" && ok || bad "report --html exit status"
add_job fleet "$art/fleet.html" "$art/fleet.png" --inject
"$ksift" report --html --kind hung_task "$tmp/fleet.db" > "$art/fleet-hung.html"
python3 - "$art/fleet-hung.html" <<'PY' && ok || bad "report --html --kind: only that kind"
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
kinds = set(re.findall(r'<tr data-filter data-kind="([^"]*)"', html))
assert kinds == {"hung_task"}, kinds
PY

# One browser for every page (paths hold no blanks: they are ours).
# shellcheck disable=SC2086
python3 "$top/tests/browser.py" $jobs > "$tmp/browser.out" 2>&1
rc=$?
sed 's/^/    /' "$tmp/browser.out"
good=$(grep -c '^ok ' "$tmp/browser.out"); failed=$(grep -c '^FAIL' "$tmp/browser.out")
n=$((n + good + failed)); fail=$((fail + failed))
[ $rc -eq 0 ] || [ "$failed" -gt 0 ] || bad "browser driver exit status $rc"
[ "$good" -gt 0 ] || bad "the browser checked nothing"

echo "html: $((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
