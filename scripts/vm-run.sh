#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot the test VM once and judge the run.
#
#   vm-run.sh NAME INITRD
#
# Boots /boot/vmlinuz-$KVER (or KERNEL_IMAGE) with INITRD under qemu TCG (KVM
# does not work on the build machines), bounded by `timeout`. The console goes to the terminal
# and to build/vm-NAME.log; what the payload prints also arrives, without
# kernel messages mixed in, in build/vm-NAME.out (the guest's ttyS1).
# Exit status 0 only if the guest reported its result marker, the payload
# exited 0, mbox.ko unloaded, the guest's hooks (if it has any) passed, and
# the kernel log holds no warning, crash or debug-kernel report.
#
# Environment: KERNEL_IMAGE (the kernel to boot, e.g. the debug kernel of
# `make check-debug`; default /boot/vmlinuz-$KVER), KCSAN_MBOX_ONLY (set:
# KCSAN data-race reports fail the run only when a stack in them is in
# mbox.ko; the rest are the kernel's own and are listed, not judged), KVER (default:
# scripts/kver.sh; unused with KERNEL_IMAGE), SMP (vCPUs, default 2),
# MEM (default 1G), VM_TIMEOUT (seconds for the whole boot, default 600),
# BUILD (output directory, default build).
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: $0 NAME INITRD" >&2
	exit 2
fi
name=$1
initrd=$2
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${KERNEL_IMAGE:-}" ]; then
	kernel=$KERNEL_IMAGE
else
	kver=${KVER:-$("$here/kver.sh")}
	kernel=/boot/vmlinuz-$kver
fi
if [ ! -r "$kernel" ]; then
	echo "vm-run: no kernel image $kernel" >&2
	exit 2
fi
smp=${SMP:-2}
mem=${MEM:-1G}
vm_timeout=${VM_TIMEOUT:-600}
build=${BUILD:-build}
log=$build/vm-$name.log
out=$build/vm-$name.out

# console=ttyS0: the console is qemu's stdout.
# loglevel=5: warnings and worse reach the console while the kernel boots,
#   its routine notices do not (the guest's /init raises the level for the
#   test run). printk.time=1: the timestamp the log scan keys on.
# oops=panic panic=-1 with -no-reboot: an oops ends qemu at once instead
#   of leaving a broken guest to time out.
# hung_task_timeout_secs=60: a task stuck uninterruptibly is reported
#   well before a test's own timeout (default 120 s) kills it.
# mitigations=off: speculation workarounds only slow emulated syscalls down.
cmdline="console=ttyS0 loglevel=5 printk.time=1 oops=panic panic=-1"
cmdline+=" sysctl.kernel.hung_task_timeout_secs=60 mitigations=off"

mkdir -p "$build"
rm -f "$log" "$out" "$build/vm-$name.kcsan-other"
# qemu's stdio backend fails on a closed stdin (as CI may give us); on a
# terminal it keeps stdin for Ctrl-A x.
[ -t 0 ] || exec </dev/null
echo "vm-run: booting $kernel, $smp vCPUs, at most ${vm_timeout}s; console in $log"
start=$SECONDS
status=0
# No display, as -nographic, but without -nographic's BIOS text console,
# whose escape codes would clear the terminal. -serial mon:stdio: the
# guest's ttyS0 on our stdout (Ctrl-A x quits); the second -serial is its
# ttyS1. --foreground lets qemu use the terminal; -k kills a qemu that
# ignores the TERM.
timeout --foreground -k 10 "$vm_timeout" \
	qemu-system-x86_64 -accel tcg -smp "$smp" -m "$mem" \
	-display none -vga none -net none -no-reboot \
	-serial mon:stdio -serial "file:$out" \
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline" |
	tee "$log" || status=$?
if [ -t 0 ]; then stty sane; fi
elapsed=$((SECONDS - start))

fail=0
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
	echo "vm-run: FAIL: the VM did not finish within ${vm_timeout}s"
	fail=1
elif [ "$status" -ne 0 ]; then
	echo "vm-run: FAIL: qemu exited with status $status"
	fail=1
fi

# Kernel messages carry a timestamp; looking only at those keeps test output
# that happens to say "WARNING:" from failing the run. The taint notices of
# an unsigned out-of-tree module are expected. Most reports of the debug
# kernel's instruments open with "BUG:" or "WARNING:" (KASAN, lockdep's
# circular, recursive and inconsistent locking and suspicious RCU usage,
# sleeping in atomic context, debugobjects); the others are named.
bad='WARNING:|BUG:|Oops|Call Trace|general protection fault|kernel BUG'
bad+='|UBSAN|KASAN|kmemleak|possible circular locking|possible recursive locking'
bad+='|inconsistent lock state|suspicious RCU usage|ODEBUG|list_(add|del) corruption'
bad+='|INFO: task .* blocked|RCU stall|rcu.*detected stalls|soft lockup|hard LOCKUP'
bad+='|Kernel panic'
scan=$log
if [ -n "${KCSAN_MBOX_ONLY:-}" ]; then
	# A KCSAN report is a block between two lines of '='. A report is
	# mbox's when one of its racing accesses is in mbox.ko: the first
	# frame under a "read/write ... by task" (or "race at unknown origin")
	# line is an mbox function ("[mbox]"). Those stay in what is scanned;
	# the others, races inside the kernel's own code that merely have mbox
	# further down a stack (slab metadata read by kfree(), say), go to
	# vm-NAME.kcsan-other.
	scan=$build/vm-$name.scan
	tr -d '\r' <"$log" | awk -v other="$build/vm-$name.kcsan-other" '
	function flush(keep) {
		if (keep) printf "%s", buf; else printf "%s", buf >> other
		buf = ""
	}
	/\] =+$/ {
		if (!inblock) { inblock = 1; ours = 0; want = 0; buf = $0 "\n"; next }
		buf = buf $0 "\n"; inblock = 0
		flush(buf !~ /BUG: KCSAN:/ || ours)
		next
	}
	inblock && /(read|write).* (by task|by interrupt|at unknown origin)|race at unknown origin/ {
		want = 1; buf = buf $0 "\n"; next
	}
	inblock && want && /\+0x/ {
		if ($0 ~ /\[mbox\]/) ours = 1
		want = 0
	}
	inblock { buf = buf $0 "\n"; next }
	{ print }
	END { if (inblock) flush(1) }' >"$scan"
	if [ -s "$build/vm-$name.kcsan-other" ]; then
		echo "vm-run: note: $(grep -c 'BUG: KCSAN:' "$build/vm-$name.kcsan-other")" \
		     "KCSAN reports outside mbox.ko, not judged: $build/vm-$name.kcsan-other"
	fi
fi
if grep -aE "\[ *[0-9]+\.[0-9]+\].*($bad)" "$scan" >"$build/vm-$name.bad"; then
	echo "vm-run: FAIL: kernel problems in the log:"
	head -n 20 "$build/vm-$name.bad"
	fail=1
fi

marker=$(tr -d '\r' <"$log" | grep -a '^MBOX-VM-RESULT ' | tail -n 1) || true
if [ -z "$marker" ]; then
	echo "vm-run: FAIL: the guest never reported a result (crash, hang or timeout)"
	fail=1
else
	case " $marker " in
	*" payload=0 "*) ;;
	*) echo "vm-run: FAIL: the payload failed ($marker)"; fail=1 ;;
	esac
	case " $marker " in
	*" unload=ok "*) ;;
	*) echo "vm-run: FAIL: mbox.ko did not unload ($marker)"; fail=1 ;;
	esac
	# Only a guest with hooks (/hooks.sh) reports them.
	case " $marker " in
	*" hooks=0 "*) ;;
	*" hooks="*) echo "vm-run: FAIL: a guest hook failed ($marker)"; fail=1 ;;
	esac
fi

if [ "$fail" -eq 0 ]; then
	echo "vm-run: $name OK in ${elapsed}s"
else
	echo "vm-run: $name FAILED after ${elapsed}s; console log: $log"
fi
exit "$fail"
