#!/bin/sh
# The man pages say what --help says: every command of `ksift --help` (and
# every db subcommand) has a section in ksift(1) and every section a
# command; within a section, the long options are those of
# `ksift COMMAND --help`, no more, no fewer. Then groff must read the pages
# without a warning.
set -eu
top=${abs_top_srcdir:?}
KSIFT=${KSIFT:?}
man1="$top/analyzer/cli/ksift.1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# Commands: "  name  description" lines after "commands:", and db's own.
"$KSIFT" --help | sed -n '/^commands:/,/^$/p' | awk 'NF >= 2 && /^  / {print $1}' >"$tmp/top"
"$KSIFT" db --help | sed -n 's/^.*ksift db \([a-z]*\) .*$/db \1/p; s/^.*ksift db \([a-z]*\)$/db \1/p' >"$tmp/db"
grep -v '^db$' "$tmp/top" | cat - "$tmp/db" | sort -u >"$tmp/commands"
[ "$(wc -l <"$tmp/commands")" -ge 8 ] || { echo "manpages: found too few commands"; exit 1; }

# Sections: .SS "ksift CMD ..." where CMD is one or two words (db x).
sed -n 's/^\.SS "ksift \(db [a-z]*\).*/\1/p; s/^\.SS "ksift \([a-z]*\)[ "].*/\1/p' "$man1" |
	grep -v '^db$' | sort -u >"$tmp/sections"
if ! diff -u "$tmp/commands" "$tmp/sections" >"$tmp/diff"; then
	echo "manpages: commands (-) and ksift.1 sections (+) differ:"; cat "$tmp/diff"; fail=1
fi

while read -r cmd; do
	# shellcheck disable=SC2086
	"$KSIFT" $cmd --help | sed -n 's/^  \(-[a-zA-Z], \)\{0,1\}--\([a-z0-9-]*\).*/\2/p' |
		grep -vx help | sort -u >"$tmp/help"
	# The section's .TP tags: the line after each .TP, \- unescaped.
	awk -v want="$cmd" '
		/^\.S[SH] / { in_sec = 0 }
		/^\.SS "ksift / {
			s = $0; sub(/^\.SS "ksift /, "", s)
			n = split(s, w, " ")
			name = (w[1] == "db") ? w[1] " " w[2] : w[1]
			in_sec = (name == want)
		}
		in_sec && tp { print; tp = 0; next }
		in_sec && /^\.TP/ { tp = 1 }' "$man1" |
		sed 's/\\-/-/g' | grep -o -- '--[a-z0-9][a-z0-9-]*' | sed 's/^--//' | sort -u >"$tmp/man"
	if ! diff -u "$tmp/help" "$tmp/man" >"$tmp/diff"; then
		echo "manpages: ksift $cmd --help (-) and its ksift.1 section (+) differ:"
		cat "$tmp/diff"
		fail=1
	fi
done <"$tmp/commands"

# ksift.sig(5) describes every field the signature parser knows (sigfile.c's
# fields[] table: '{ "key", F_TYPE, ... }' rows): each has a '.BI key: ...'
# line (a tag of FIELDS; '\-' is how the page writes '-').
man5="$top/signatures/ksift.sig.5"
sed -n '/^static const struct field fields\[\]/,/^};/p' "$top/signatures/sigfile.c" |
	sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", F_.*/\1/p' >"$tmp/fields"
[ "$(wc -l <"$tmp/fields")" -ge 20 ] || { echo "manpages: found too few signature fields"; fail=1; }
if [ -f "$man5" ]; then
	sed -n 's/\\-/-/g; s/^\.BI \([a-z-]*\): .*/\1/p' "$man5" | sort -u >"$tmp/man5fields"
	while read -r key; do
		grep -qx -- "$key" "$tmp/man5fields" ||
			{ echo "manpages: ksift.sig.5 does not describe the field '$key'"; fail=1; }
	done <"$tmp/fields"
fi

for page in "$man1" "$man5"; do
	[ -f "$page" ] || { echo "manpages: $page missing"; fail=1; continue; }
	if ! groff -man -Tutf8 -ww -z "$page" 2>"$tmp/groff" || [ -s "$tmp/groff" ]; then
		echo "manpages: groff warns about $page:"; cat "$tmp/groff"; fail=1
	fi
done
[ $fail = 0 ] && echo "manpages: $(wc -l <"$tmp/commands") commands in step with --help," \
	"$(wc -l <"$tmp/fields") signature fields in ksift.sig(5)"
exit $fail
