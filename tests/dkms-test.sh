#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prove that dkms.conf works: stage the module's sources as DKMS wants them
# (/usr/src/mbox-VERSION), then `dkms add`, `dkms build` against the
# installed headers of KVER, check the built mbox.ko (modinfo: its vermagic
# is KVER's), `dkms install` into KVER's module tree when KVER is not the
# running kernel (nothing is loaded), and `dkms remove --all` at the end,
# also on failure, leaving no trace.
#
#   tests/dkms-test.sh            (as root; needs dkms and KVER's headers)
#
# The staged package is called mbox/VERSION-dkmstest, so it can never touch
# an mbox that DKMS manages on this machine. Prints TAP, then
# "N passed, N failed"; exits 0 only if every step passed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kver=${KVER:-$("$top/scripts/kver.sh")} || exit 1
version="$(cat "$top/VERSION")-dkmstest"
src=/usr/src/mbox-$version
pkg=mbox/$version

if [ "$(id -u)" -ne 0 ]; then
	echo "dkms-test: must run as root (dkms writes /usr/src and /var/lib/dkms)" >&2
	exit 1
fi
if ! command -v dkms >/dev/null; then
	echo "dkms-test: dkms is not installed (apt-get install dkms)" >&2
	exit 1
fi

passed=0 failed=0 n=0
log=$(mktemp)
ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n $1"; }
not_ok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $1"
	sed 's/^/# /' "$log"
}
# step NAME CMD...: run CMD with its output in the log, report it.
step() {
	local name=$1; shift
	if "$@" >"$log" 2>&1; then ok "$name"; return 0; fi
	not_ok "$name"; return 1
}

cleanup() {
	dkms remove "$pkg" --all >/dev/null 2>&1
	rm -rf "$src" "$log"
}
trap cleanup EXIT

echo "TAP version 13"
echo "# dkms $(dkms --version 2>/dev/null | head -n 1), package $pkg, kernel $kver"

# Leftovers of an interrupted run would make `dkms add` refuse.
cleanup
log=$(mktemp)

# Only what the module build needs: dkms.conf, VERSION, module/ and uapi/
# (module/Kbuild includes ../uapi). Build products are not copied.
stage() {
	mkdir -p "$src/module" "$src/uapi/linux" &&
	cp "$top/dkms.conf" "$src/" &&
	echo "$version" >"$src/VERSION" &&
	cp "$top/uapi/linux/mbox.h" "$src/uapi/linux/" &&
	cp "$top/module/Kbuild" "$top/module/Makefile" "$src/module/" &&
	find "$top/module" -maxdepth 1 \( -name '*.[ch]' ! -name '*.mod.c' \) \
		-exec cp {} "$src/module/" \;
}
step "stage the sources in $src" stage || exit 1

# dkms.conf takes its version from VERSION.
conf_version() {
	local v
	v=$(bash -c '. "$1" && echo "$PACKAGE_NAME/$PACKAGE_VERSION"' _ "$src/dkms.conf")
	echo "dkms.conf says $v"
	[ "$v" = "$pkg" ]
}
step "dkms.conf reads PACKAGE_VERSION from VERSION" conf_version

step "dkms add $pkg" dkms add "$pkg" || exit 1
step "dkms build $pkg -k $kver" dkms build "$pkg" -k "$kver" || exit 1

ko=
find_ko() {
	ko=$(find "/var/lib/dkms/$pkg/$kver" -name 'mbox.ko*' -print -quit)
	echo "built: ${ko:-nothing}"
	[ -n "$ko" ]
}
step "the build left mbox.ko" find_ko || exit 1

check_modinfo() {
	local vermagic name
	modinfo "$ko" || return 1
	vermagic=$(modinfo -F vermagic "$ko")
	name=$(modinfo -F name "$ko")
	echo "vermagic: $vermagic; name: $name"
	[ "${vermagic%% *}" = "$kver" ] && [ "$name" = mbox ]
}
step "modinfo: name mbox, vermagic $kver" check_modinfo

# Installing puts the file in KVER's tree and runs depmod there; it loads
# nothing. Never for the running kernel: that is a machine we must not
# change. Nor if another mbox module is installed for KVER.
if [ "$kver" = "$(uname -r)" ]; then
	echo "ok $((n + 1)) dkms install # SKIP $kver is the running kernel"
	n=$((n + 1)); passed=$((passed + 1))
elif modinfo -k "$kver" mbox >/dev/null 2>&1; then
	echo "ok $((n + 1)) dkms install # SKIP an mbox module is already installed for $kver"
	n=$((n + 1)); passed=$((passed + 1))
else
	installed() {
		dkms install "$pkg" -k "$kver" || return 1
		dkms status "$pkg" -k "$kver" | grep installed >/dev/null &&
		modinfo -k "$kver" -n mbox
	}
	step "dkms install $pkg -k $kver (into /lib/modules/$kver, not loaded)" installed
fi

removed() {
	dkms remove "$pkg" --all || return 1
	if modinfo -k "$kver" -n mbox 2>/dev/null; then
		echo "mbox is still in /lib/modules/$kver"
		return 1
	fi
	[ -z "$(dkms status "$pkg")" ]
}
step "dkms remove $pkg --all leaves nothing installed" removed

echo "1..$n"
echo "dkms-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
