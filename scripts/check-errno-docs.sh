#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The errors each libmbox call can return are written twice: in the RETURN
# VALUE part of its comment in libmbox/include/libmbox.h, and in the ERRORS
# section of its man page. This check fails when the two drift apart.
#
#   check-errno-docs.sh [REPO]
#
# For every function in libmbox.map: the errno names (E followed by capital
# letters) after "RETURN VALUE" in the comment just above its prototype,
# plus those of every function that comment refers to ("the errors of
# mbox_send()"). For every page in man/man3: the errno names in its ERRORS
# section, plus those of the pages it refers to there. A page that documents several functions (mbox_send.3 also has
# mbox_trysend and mbox_timedsend, by the man/Makefile LINKS) must name
# exactly the union of theirs. Prints each difference; exit 1 if any.
set -euo pipefail

repo=${1:-$(cd "$(dirname "$0")/.." && pwd)}
hdr=$repo/libmbox/include/libmbox.h
map=$repo/libmbox/libmbox.map
man=$repo/man

# The errnos one function's comment names, and the functions it refers to:
# "E1 E2 ... | f1 f2".
comment_errnos() {
	awk -v fn="$1" '
	/^\/\*/ { buf = ""; inc = 1 }
	inc { buf = buf "\n" $0 }
	/\*\// { inc = 0; last = buf }
	$0 ~ "^[a-z_ ]+[ *]" fn "\\(" { print last; exit }
	' "$hdr" | awk '
	/RETURN VALUE/ { on = 1 }
	on {
		n = split($0, w, /[^A-Za-z0-9_]+/)
		for (i = 1; i <= n; i++)
			if (w[i] ~ /^E[A-Z][A-Z]+$/)
				e[w[i]] = 1
		text = text " " $0
	}
	END {
		gsub(/[ \t*]+/, " ", text)	# "errors of\n * mbox_send()"
		while (match(text, /errors of mbox_[a-z_]+\(\)/)) {
			f[substr(text, RSTART + 10, RLENGTH - 12)] = 1
			text = substr(text, RSTART + RLENGTH)
		}
		for (k in e) printf "%s ", k
		printf "|"
		for (k in f) printf " %s", k
		print ""
	}'
}

# All errnos of a function, following "the errors of" references.
declare -A seen
function_errnos() {
	local fn=$1 out refs r
	[ -n "${seen[$fn]:-}" ] && return 0
	seen[$fn]=1
	out=$(comment_errnos "$fn")
	echo "${out%%|*}"
	refs=${out#*|}
	for r in $refs; do
		function_errnos "$r"
	done
}

# The errnos in a page's ERRORS section, and those of the pages it refers
# to there ("The errors of mbox_timedsend(3)").
page_errnos() {
	local p r
	awk '
	/^\.SH / { on = ($0 ~ /^\.SH ERRORS/) ; next }
	on && /^\.B E[A-Z][A-Z]+/ { print $2 }
	' "$1"
	for r in $(awk '
	/^\.SH / { on = ($0 ~ /^\.SH ERRORS/) ; next }
	/^\.TP/ { ref = 0 }
	on && /[Ee]rrors of/ { ref = 1 }
	on && ref && /^\.BR mbox_[a-z_]+ \(3\)/ { print $2 }
	' "$1"); do
		p=$(page_of "$r")
		[ -n "$p" ] && [ "$p" != "$1" ] && page_errnos "$p"
	done
}

# Which page documents a function: its own, or a LINKS alias's target.
page_of() {
	local fn=$1 links
	if [ -f "$man/man3/$fn.3" ]; then
		echo "$man/man3/$fn.3"
		return
	fi
	links=$(grep -o 'mbox_[a-z_]*\.3:mbox_[a-z_]*\.3' "$man/Makefile" |
		grep -m1 "^$fn\.3:" || true)
	if [ -n "$links" ]; then echo "$man/man3/${links#*:}"; fi
}

fail=0
declare -A want
for fn in $(sed -n '/global:/,/local:/s/^[[:space:]]*\([a-z_]*\);.*/\1/p' "$map"); do
	page=$(page_of "$fn")
	if [ -z "$page" ]; then
		echo "check-errno-docs: $fn has no man page"
		fail=1
		continue
	fi
	seen=()
	want[$page]+=" $(function_errnos "$fn")"
done

for page in "${!want[@]}"; do
	w=$(tr ' ' '\n' <<<"${want[$page]}" | grep . | sort -u)
	m=$(page_errnos "$page" | sort -u)
	only_hdr=$(comm -23 <(echo "$w") <(echo "$m") | tr '\n' ' ')
	only_man=$(comm -13 <(echo "$w") <(echo "$m") | tr '\n' ' ')
	if [ -n "${only_hdr// /}" ] || [ -n "${only_man// /}" ]; then
		echo "check-errno-docs: ${page#"$repo"/}: libmbox.h names [${only_hdr% }]" \
		     "that the page does not; the page names [${only_man% }] that libmbox.h does not"
		fail=1
	fi
done
[ "$fail" -eq 0 ] && echo "check-errno-docs: libmbox.h and the man pages name the same errors"
exit "$fail"
