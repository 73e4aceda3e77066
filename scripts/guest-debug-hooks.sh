#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Hooks of `make check-debug` (run inside the VM as /hooks.sh by
# scripts/vm-init.sh, on the debug kernel):
#
#   hooks.sh pre-load      before mbox.ko is loaded
#   hooks.sh pre-unload    after the payload (and what it left behind) ended
#   hooks.sh post-unload   after mbox.ko was unloaded
#
# pre-load mounts debugfs and sets a kmemleak baseline: a scan, after which
# the suspects found (allocations of the boot, not of mbox) are forgotten.
# pre-unload and post-unload each scan twice, some seconds apart (an object
# counts only once it is old enough and still unreferenced in the second
# scan), print every unreferenced object with its allocation backtrace and
# fail if there is one. Leaks of the test run show in pre-unload, while the
# module's symbols still resolve in the backtraces (those suspects are then
# cleared, so post-unload reports only what the unload itself leaked).
# The kernel's own "N new suspected memory leaks" line also fails the run
# through the host's log scan (scripts/vm-run.sh).
kmemleak=/sys/kernel/debug/kmemleak

suspects() { grep -c '^unreferenced object' "$kmemleak"; }

# leak_check WHEN: two scans; report and forget what they found.
leak_check() {
	[ -w "$kmemleak" ] || { echo "debug-hooks: no $kmemleak"; return 1; }
	echo scan >"$kmemleak"
	sleep 6
	echo scan >"$kmemleak"
	n=$(suspects)
	if [ "$n" -ne 0 ]; then
		echo "debug-hooks: FAIL: kmemleak $1: $n unreferenced objects:"
		cat "$kmemleak"
		echo clear >"$kmemleak"
		return 1
	fi
	echo "debug-hooks: kmemleak $1: no leaks"
}

case "$1" in
pre-load)
	mount -t debugfs debugfs /sys/kernel/debug || exit 1
	if [ ! -w "$kmemleak" ]; then
		echo "debug-hooks: no $kmemleak (kmemleak off or disabled?)"
		exit 1
	fi
	# Quietly: the boot's leak suspects are not what this run tests.
	dmesg -n 5
	echo scan >"$kmemleak"
	n=$(suspects)
	echo clear >"$kmemleak"
	dmesg -n 7
	echo "debug-hooks: kmemleak baseline set ($n suspects from the boot ignored)"
	;;
pre-unload)
	leak_check "before the unload"
	;;
post-unload)
	leak_check "after the unload"
	;;
*)
	echo "usage: $0 pre-load|pre-unload|post-unload" >&2
	exit 2
	;;
esac
