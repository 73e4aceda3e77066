#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The contract has one source per fact; everything that restates a fact is
# checked against its source here, so the documents cannot drift:
#
#  1. uapi/linux/mbox.h is the source of the ABI. kernel-doc (from the
#     kernel source package) must find every struct member documented, and
#     every DOC section the rst documents pull from it must exist.
#  2. The command table of Documentation/userspace-api.rst restates each
#     MBOXIO_* define: name, direction, number and struct must agree.
#  3. Every errno mbox(7) and Documentation/ name is one the header's
#     "DOC: Errors" explains (but Documentation/mq.rst, whose errnos are
#     POSIX mq's: libmbox-mq's own test compares them with the kernel's).
#  4. module/mbox.h is the source of the module parameters' defaults and
#     bounds: limits.rst's tables and mbox(7) must state the same numbers.
#  5. module/show.c's table is the source of the fdinfo keys and the
#     /proc/driver/mbox columns: userspace-api.rst must list them in order.
#  6. Every mbox_*() function Documentation/ names exists in the sources, and
#     design.rst's file table lists exactly module/*.c.
#  7. libmbox.h restates the header's MBOX_FEATURE_* bits (the compiler
#     checks the values when both are included); the names must match.
# (libmbox.h's error lists against the man pages: check-errno-docs.sh.)
#
#   check-contract.sh KERNEL_SRC [REPO]
#
# KERNEL_SRC holds scripts/kernel-doc (build/linux-src, from
# scripts/ksft-framework.sh). Prints each disagreement; exit 1 if any.
set -euo pipefail

ksrc=${1:?usage: check-contract.sh KERNEL_SRC [REPO]}
repo=${2:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$repo"

hdr=uapi/linux/mbox.h
api=Documentation/userspace-api.rst
man7=man/man7/mbox.7
fail=0
bad() {
	echo "check-contract: $*"
	fail=1
}

# --- 1. kernel-doc ----------------------------------------------------------
kdoc=$ksrc/scripts/kernel-doc
[ -x "$kdoc" ] || { echo "check-contract: no $kdoc; run scripts/ksft-framework.sh" >&2; exit 1; }
if ! out=$("$kdoc" -none -Werror "$hdr" 2>&1) || [ -n "$out" ]; then
	bad "kernel-doc on $hdr:"
	echo "$out"
fi
# Each ".. kernel-doc:: FILE" with ":doc: NAME" must name a DOC section.
while read -r file doc; do
	[ -f "$file" ] || { bad "Documentation pulls from missing $file"; continue; }
	[ -z "$doc" ] && continue
	[ -n "$("$kdoc" -rst -function "$doc" "$file" 2>/dev/null | tr -d '[:space:]')" ] ||
		bad "Documentation pulls 'DOC: $doc' from $file, which has no such section"
done < <(awk '
	/^\.\. kernel-doc::/ { if (file != "") print file, doc; file = $3; doc = ""; next }
	file != "" && /^   :doc:/ { sub(/^   :doc: */, ""); doc = $0; next }
	file != "" && !/^   :/ { print file, doc; file = "" }
	END { if (file != "") print file, doc }
' Documentation/*.rst)

# --- 2. the command table -----------------------------------------------------
type=$(awk '$1 == "#define" && $2 == "MBOX_IOCTL_TYPE" { print $3 }' "$hdr")
[ -n "$type" ] || bad "$hdr: no MBOX_IOCTL_TYPE"
# "MBOXIO_INFO _IOR 0x00 mboxio_info" for each command define.
cmds=$(sed -n 's/^#define[[:space:]]\+\(MBOXIO_[A-Z0-9_]*\)[[:space:]]\+\(_IO[RW]*\)(MBOX_IOCTL_TYPE, *\(0x[0-9a-fA-F]*\)\(, *struct \([a-z_]*\)\)\?).*/\1 \2 \3 \5/p' "$hdr")
[ -n "$cmds" ] || bad "$hdr: no MBOXIO_* commands found"
while read -r name dir nr st; do
	if [ -n "$st" ]; then
		want="\`\`$name\`\` *\`\`$dir($type, $nr, \.\.\.)\`\` *\`\`struct $st\`\`"
	else
		want="\`\`$name\`\` *\`\`$dir($type, $nr)\`\` *none"
	fi
	grep -q "^$want" "$api" || bad "$api: the command table disagrees with $hdr on $name ($dir, $nr${st:+, struct $st})"
done <<<"$cmds"
rows=$(grep -c '^``MBOXIO_[A-Z0-9_]*`` *``_IO' "$api" || true)
[ "$rows" -eq "$(wc -l <<<"$cmds")" ] || bad "$api: the command table has $rows rows, $hdr $(wc -l <<<"$cmds") commands"

# --- 3. errnos ------------------------------------------------------------------
known=$("$kdoc" -rst -function Errors "$hdr" 2>/dev/null |
	grep -oE '^E[A-Z0-9]+(, E[A-Z0-9]+)*$' | tr ', ' '\n\n' | grep . | sort -u)
[ -n "$known" ] || bad "$hdr: 'DOC: Errors' lists no errno"
for f in "$man7" Documentation/*.rst; do
	[ "$f" = Documentation/mq.rst ] && continue
	for e in $(grep -oE '\bE(2BIG|[A-Z][A-Z]+)\b' "$f" | grep -vE '^(EPOLL|ERESTART)' | grep -vxE 'EXAMPLES|ERRORS' | sort -u); do
		grep -qx "$e" <<<"$known" || bad "$f names $e, which $hdr's 'DOC: Errors' does not explain"
	done
done

# --- 4. module parameters ---------------------------------------------------------
# The value of a module/mbox.h define, its arithmetic evaluated.
define() {
	local v
	v=$(awk -v n="$1" '$1 == "#define" && $2 == n { $1 = $2 = ""; sub(/\/\*.*/, ""); print }' module/mbox.h)
	[ -n "$v" ] || { bad "module/mbox.h has no $1"; echo 0; return; }
	v=${v//U/}
	echo $((v))
}
# parameter, its default define, its bound define
params="max_mailboxes MBOX_MAX_MAILBOXES_DEFAULT MBOX_MAILBOXES_LIMIT
max_capacity MBOX_MAX_CAPACITY_DEFAULT MBOX_CAPACITY_LIMIT
max_msg_size MBOX_MAX_MSG_SIZE_DEFAULT MBOX_MSG_SIZE_LIMIT
max_user_mailboxes MBOX_MAX_USER_MAILBOXES_DEFAULT MBOX_MAILBOXES_LIMIT
max_user_bytes MBOX_MAX_USER_BYTES_DEFAULT MBOX_USER_BYTES_LIMIT"
while read -r p d l; do
	d=$(define "$d")
	l=$(define "$l")
	# limits.rst: ``p``  default  1..bound (a power of two may be 2^n)
	row=$(grep "^\`\`$p\`\` " Documentation/limits.rst || true)
	if [ -z "$row" ]; then
		bad "Documentation/limits.rst: no table row for $p"
	else
		set -- $row
		[ "$2" = "$d" ] || bad "Documentation/limits.rst: $p default $2, module/mbox.h $d"
		r=${3#1..}
		[[ $r == 2^* ]] && r=$((1 << ${r#2^}))
		[ "$r" = "$l" ] || bad "Documentation/limits.rst: $p at most $3, module/mbox.h $l"
	fi
	# mbox(7): the paragraph after ".B p" under Limits says "default D".
	para=$(awk -v p="$p" '
		/^\.SS Limits/ { on = 1; next }
		on && /^\.S[SH] / { exit }
		on && $0 == ".B " p { grab = 1; next }
		grab && /^\.(TP|PP)/ { exit }
		grab { printf "%s ", $0 }
	' "$man7")
	grep -q "default $d\b" <<<"$para" || bad "$man7: $p's default is not $d there"
	if grep -q "at most" <<<"$para"; then
		grep -q "at most $l\b" <<<"$para" || bad "$man7: $p's bound is not $l there"
	fi
done <<<"$params"

# --- 5. fdinfo keys and /proc columns ------------------------------------------------
cols=$(sed -n 's/^[[:space:]]*MBOX_SHOW("\([a-z_]*\)",[[:space:]]*"\([a-z-]*\)".*/\1 \2/p' module/show.c)
[ -n "$cols" ] || bad "module/show.c: no MBOX_SHOW rows found"
want_cols="name $(cut -d' ' -f1 <<<"$cols" | tr '\n' ' ')"
grep -q "^  ${want_cols% }\$" "$api" || bad "$api: the /proc/driver/mbox columns are not '${want_cols% }'"
want_keys="mbox-name $(cut -d' ' -f2 <<<"$cols" | sed 's/^/mbox-/' | tr '\n' ' ')"
have_keys=$(awk '/^fdinfo$/ { on = 1 } on && /^\/proc\/driver\/mbox$/ { exit } on' "$api" |
	grep -oE '``mbox-[a-z-]+``' | tr -d '`' | tr '\n' ' ')
[ "$have_keys" = "$want_keys" ] || bad "$api: fdinfo keys '$have_keys', module/show.c '$want_keys'"

# --- 6. names in Documentation/ -------------------------------------------------------
idents=$(cat module/*.[ch] libmbox/src/*.[ch] libmbox/include/libmbox.h tools/*/*.[ch] |
	grep -oE '\b_*mbox_[a-z0-9_]+\b' | sort -u)
for f in Documentation/*.rst; do
	for fn in $(grep -oE '\b_*mbox_[a-z0-9_]+\(\)' "$f" | tr -d '()' | sort -u); do
		grep -qx "$fn" <<<"$idents" || bad "$f names $fn(), which no source defines"
	done
done
listed=$(grep -oE '^``module/[a-z_]+\.c``' Documentation/design.rst | tr -d '`' | sort)
present=$(ls module/*.c | grep -v '\.mod\.c$' | sort)
[ "$listed" = "$present" ] || bad "Documentation/design.rst's file table lists '$(echo $listed)', module/ has '$(echo $present)'"

# --- 7. feature bits ----------------------------------------------------------------
k=$(grep -oE '^#define MBOX_FEATURE_[A-Z_]+' "$hdr" | sort)
u=$(grep -oE '^#define MBOX_FEATURE_[A-Z_]+' libmbox/include/libmbox.h | sort)
[ "$k" = "$u" ] || bad "libmbox.h's MBOX_FEATURE_* bits differ from $hdr's"

[ $fail -eq 0 ] && echo "check-contract: the documents agree with their sources"
exit $fail
