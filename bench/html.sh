#!/bin/sh
# HTML benchmark: file size and headless Chromium's load time of
# `ksift report --html` for fleets of 1k, 10k and 100k incidents, and of
# `ksift show --html` for 1k and 10k (BENCH_HTML_SIZES to change). Load time
# is Page.navigate to the load event (tests/browser.py load), best of 3.
set -eu
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
ksift=${KSIFT:-$(pwd)/analyzer/ksift}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
best() {
	b=
	for _ in 1 2 3; do
		ms=$(python3 "$top/tests/browser.py" load "$1")
		[ -z "$b" ] || [ "$ms" -lt "$b" ] && b=$ms
	done
	echo "$b"
}
printf '| page | incidents | records | size | load (best of 3) | ksift time |\n|---|---|---|---|---|---|\n'
for n in ${BENCH_HTML_SIZES:-1000 10000 100000}; do
	perl "$top/bench/gen-incidents.pl" "$n" "$tmp/fleet.log" "$top/corpus/kinds"
	rm -f "$tmp/fleet.db"
	"$ksift" scan -q --results "$tmp/fleet.db" "$tmp/fleet.log" > /dev/null || true
	rec=$(sqlite3 "$tmp/fleet.db" "SELECT count(*) FROM incidents")
	s=$(date +%s.%N)
	"$ksift" report --html "$tmp/fleet.db" > "$tmp/fleet.html"
	e=$(date +%s.%N)
	printf '| report --html | %s | %s | %s KiB | %s ms | %.2f s |\n' "$n" "$rec" \
		$(( $(wc -c < "$tmp/fleet.html") / 1024 )) "$(best "$tmp/fleet.html")" "$(echo "$e - $s" | bc)"
	if [ "$n" -le 10000 ]; then
		s=$(date +%s.%N)
		"$ksift" show --html "$tmp/fleet.log" > "$tmp/show.html" || true
		e=$(date +%s.%N)
		printf '| show --html | %s | %s | %s KiB | %s ms | %.2f s |\n' "$n" "$rec" \
			$(( $(wc -c < "$tmp/show.html") / 1024 )) "$(best "$tmp/show.html")" "$(echo "$e - $s" | bc)"
	fi
done
