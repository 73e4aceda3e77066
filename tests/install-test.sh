#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prove that `make install DESTDIR=... PREFIX=/usr` produces a tree that a
# program builds against with nothing but pkg-config: install into a
# temporary DESTDIR, check every file is there, compile and link a small
# program with `pkg-config --cflags --libs libmbox` (sysroot'ed into
# DESTDIR), shared and static, and run it with LD_LIBRARY_PATH into DESTDIR
# up to the point where it reports what the host lacks (ENOENT: no
# /dev/mbox, the module is not loaded here). Host-side; no VM, no root.
#
#   tests/install-test.sh        (KEEP=1 keeps the DESTDIR and says where)
#
# Uses the top-level `make install` when the top-level Makefile has one,
# else the install rules of libmbox/, tools/mboxctl/ and man/.
# Prints TAP, then "N passed, N failed"; exits 0 only if all passed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
version=$(cat "$top/VERSION")
tmp=$(mktemp -d)
root=$tmp/root
prefix=/usr
log=$tmp/log
# shellcheck disable=SC2317 # called by the trap
cleanup() { if [ -n "${KEEP:-}" ]; then echo "# kept $tmp"; else rm -rf "$tmp"; fi; }
trap cleanup EXIT

n=0 passed=0 failed=0
ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n $1"; }
not_ok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $1"
	sed 's/^/# /' "$log" | tail -n 30
}
# step NAME CMD...: run CMD with its output in the log, report it.
step() {
	local name=$1; shift
	if "$@" >"$log" 2>&1; then ok "$name"; return 0; fi
	not_ok "$name"; return 1
}

echo "TAP version 13"
echo "# mbox $version into DESTDIR=$root PREFIX=$prefix"

do_install() {
	if grep -q '^install:' "$top/Makefile" 2>/dev/null; then
		make -C "$top" install DESTDIR="$root" PREFIX="$prefix"
	else
		for d in libmbox libmbox-mq tools/mboxctl man; do
			make -C "$top/$d" install DESTDIR="$root" PREFIX="$prefix" || return 1
		done
	fi
}
step "make install DESTDIR=... PREFIX=$prefix" do_install || { echo "1..$n"; exit 1; }

# Nothing in the directories other packages own (linux-libc-dev's linux/).
check_own_dirs() {
	[ ! -e "$root$prefix/include/linux" ]
}
step "no file under include/linux (the distribution's headers)" check_own_dirs

# Every installed file, where the FHS and pkg-config expect it.
files=(
	"lib/libmbox.so.$version" lib/libmbox.a lib/pkgconfig/libmbox.pc
	include/libmbox.h include/mbox/linux/mbox.h bin/mboxctl
	"lib/libmbox-mq.so.$version" lib/libmbox-mq.a lib/pkgconfig/libmbox-mq.pc
	share/man/man7/mbox.7 share/man/man7/libmbox-mq.7 share/man/man8/mboxctl.8
)
for f in mbox_create mbox_open mbox_unlink mbox_close mbox_send mbox_recv \
	 mbox_shutdown mbox_stat mbox_get_info; do
	files+=("share/man/man3/$f.3")
done
check_files() {
	local f missing=0
	for f in "${files[@]}"; do
		[ -f "$root$prefix/$f" ] || { echo "missing: $prefix/$f"; missing=1; }
	done
	return $missing
}
step "the library, headers, .pc, mboxctl and ${#files[@]} files in all are installed" check_files

check_links() {
	local l
	[ "$(readlink "$root$prefix/lib/libmbox.so.1")" = "libmbox.so.$version" ] &&
	[ "$(readlink "$root$prefix/lib/libmbox.so")" = libmbox.so.1 ] || return 1
	for l in mbox_trysend:mbox_send mbox_timedsend:mbox_send \
		 mbox_tryrecv:mbox_recv mbox_timedrecv:mbox_recv; do
		[ "$(readlink "$root$prefix/share/man/man3/${l%%:*}.3")" = "${l#*:}.3" ] ||
			{ echo "bad link ${l%%:*}.3"; return 1; }
	done
	readelf -d "$root$prefix/lib/libmbox.so.$version" | grep 'SONAME.*\[libmbox\.so\.1\]' >/dev/null
}
step "symlinks: libmbox.so -> .so.1 -> .so.$version (soname libmbox.so.1), man page aliases" check_links

check_modes() {
	[ -x "$root$prefix/bin/mboxctl" ] &&
	[ "$(stat -c %a "$root$prefix/include/libmbox.h")" = 644 ] &&
	[ "$(stat -c %a "$root$prefix/share/man/man3/mbox_send.3")" = 644 ]
}
step "file modes: binaries 755, headers and pages 644" check_modes

# What a user (or a cross-build) does: ask pkg-config, pointed into DESTDIR.
pc() {
	PKG_CONFIG_SYSROOT_DIR=$root PKG_CONFIG_LIBDIR=$root$prefix/lib/pkgconfig \
		pkg-config "$@"
}
check_pc() {
	pc --modversion libmbox && [ "$(pc --modversion libmbox)" = "$version" ] &&
	pc --cflags --libs libmbox | grep -- "-I$root$prefix/include" >/dev/null &&
	pc --cflags libmbox | grep -- "-I$root$prefix/include/mbox" >/dev/null &&
	pc --libs libmbox | grep -- "-L$root$prefix/lib -lmbox" >/dev/null
}
step "pkg-config --modversion is $version; --cflags --libs point into DESTDIR" check_pc

# The program: both headers, every kind of call a user makes first.
cat >"$tmp/prog.c" <<'PROG'
#define _POSIX_C_SOURCE 200809L	/* O_CLOEXEC with -std=c11 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <libmbox.h>
#include <linux/mbox.h>		/* the kernel ABI header, installed too */

int main(void)
{
	struct mbox_info info;
	int mb;

	printf("built against ABI %d, name max %d\n", MBOX_ABI_VERSION, MBOX_NAME_MAX);
	if (mbox_get_info(&info) == 0) {
		printf("mbox ABI %u is loaded here\n", info.version);
		return 0;
	}
	printf("mbox_get_info: %s\n", strerror(errno));
	if (errno != ENOENT)
		return 1;
	mb = mbox_create("install-test", NULL, O_RDWR | O_CLOEXEC);
	printf("mbox_create: %d, %s\n", mb, strerror(errno));
	return mb == -1 && errno == ENOENT ? 3 : 1;
}
PROG

build_shared() {
	# shellcheck disable=SC2046 # pkg-config output is meant to split
	cc -std=c11 -Wall -Wextra -Werror $(pc --cflags libmbox) -o "$tmp/prog" \
		"$tmp/prog.c" $(pc --libs libmbox)
}
step "cc \$(pkg-config --cflags) prog.c \$(pkg-config --libs) builds (shared)" build_shared

check_ldd() {
	local deps
	deps=$(LD_LIBRARY_PATH=$root$prefix/lib ldd "$tmp/prog") || return 1
	echo "$deps"
	grep -q "libmbox.so.1 => $root$prefix/lib/libmbox.so.1" <<<"$deps"
}
step "the program loads libmbox.so.1 from DESTDIR" check_ldd

# 0: the module is loaded on this machine (fine too); 3: ENOENT as expected.
run_prog() {
	local rc
	LD_LIBRARY_PATH=$root$prefix/lib "$1"
	rc=$?
	echo "exit status $rc"
	[ "$rc" -eq 3 ] || [ "$rc" -eq 0 ]
}
step "the program runs and reports ENOENT for /dev/mbox (or finds the module)" run_prog "$tmp/prog"

build_static() {
	# shellcheck disable=SC2046
	cc -std=c11 -Wall -Wextra -Werror $(pc --cflags libmbox) -o "$tmp/prog-static" \
		"$tmp/prog.c" "$root$prefix/lib/libmbox.a" &&
	! ldd "$tmp/prog-static" 2>&1 | grep libmbox
}
step "the program links statically against libmbox.a" build_static
step "the static program runs the same" run_prog "$tmp/prog-static"

# A POSIX mq program built with pkg-config's libmbox-mq: its mq_open() is
# the library's (without the module: ENOSYS, not the kernel's queue).
cat >"$tmp/mqprog.c" <<'PROG'
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	mqd_t q = mq_open("/install-test", O_RDWR | O_CREAT, 0600, NULL);

	if (q != (mqd_t)-1) {
		mq_close(q);
		mq_unlink("/install-test");
		return 0;
	}
	printf("mq_open: %s\n", strerror(errno));
	return errno == ENOSYS ? 3 : 1;
}
PROG
build_mq() {
	# shellcheck disable=SC2046
	cc -std=c11 -Wall -Wextra -Werror -o "$tmp/mqprog" "$tmp/mqprog.c" \
		$(pc --libs libmbox-mq) &&
	LD_LIBRARY_PATH=$root$prefix/lib ldd "$tmp/mqprog" | grep -q "libmbox-mq.so.1 => $root"
}
step "an mq program builds with \$(pkg-config --libs libmbox-mq) and loads it" build_mq
step "the mq program runs on libmbox-mq (ENOSYS without /dev/mbox)" run_prog "$tmp/mqprog"

check_mboxctl() {
	local out rc
	out=$(LD_LIBRARY_PATH=$root$prefix/lib "$root$prefix/bin/mboxctl" --version) || return 1
	echo "$out"
	[ "$out" = "mboxctl (mbox) $version" ] || return 1
	[ -e /dev/mbox ] && return 0
	LD_LIBRARY_PATH=$root$prefix/lib "$root$prefix/bin/mboxctl" info
	rc=$?
	echo "mboxctl info: exit status $rc"
	[ "$rc" -eq 1 ]
}
step "the installed mboxctl runs: --version $version, info fails cleanly without /dev/mbox" check_mboxctl

check_man() {
	local p
	for p in man3/mbox_timedrecv.3 man3/mbox_create.3 man7/mbox.7 man8/mboxctl.8; do
		MANWIDTH=80 man -l -E UTF-8 "$root$prefix/share/man/$p" >"$tmp/page" 2>&1
		grep -q "^NAME" "$tmp/page" || { echo "$p does not render"; return 1; }
	done
	MANWIDTH=80 MANPATH=$root$prefix/share/man man 3 mbox_trysend >"$tmp/page" 2>&1
	grep -q "mbox_trysend" "$tmp/page"
}
step "the installed man pages render, aliases included (man 3 mbox_trysend)" check_man

check_destdir() {
	# Nothing may have gone to the real $prefix.
	local f leaked=0
	for f in lib/libmbox.so.1 include/libmbox.h bin/mboxctl share/man/man7/mbox.7; do
		if [ -e "$prefix/$f" ] && [ "$prefix/$f" -nt "$tmp/prog.c" ]; then
			echo "written outside DESTDIR: $prefix/$f"; leaked=1
		fi
	done
	return $leaked
}
step "DESTDIR is honoured: nothing new in $prefix itself" check_destdir

echo "1..$n"
echo "install-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
