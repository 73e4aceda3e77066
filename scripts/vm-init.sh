#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the test VM (busybox sh). Sets up a minimal system, loads mbox.ko,
# runs /payload.sh (the job of this boot: demos or kselftests), unloads the
# module and powers off. The host (scripts/vm-run.sh) reads the console:
#  - everything the payload prints also goes to /dev/ttyS1, which the host
#    saves apart from the console so kernel messages cannot interleave with
#    the test output it parses;
#  - processes the payload leaves behind are killed before the unload;
#  - if the image has /hooks.sh (the debug kernel's kmemleak scans), it runs
#    as `sh /hooks.sh pre-load` before the module is loaded, `... pre-unload`
#    once the payload and what it left behind are gone, and `... post-unload`
#    after the unload;
#  - the last line is "MBOX-VM-RESULT payload=<exit code> unload=<ok|failed>",
#    followed by " hooks=<status>" when there are hooks (0: all passed, else
#    the first failure's exit code).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TMPDIR=/tmp

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# The initramfs has no /dev/console of its own: take the console again now
# that devtmpfs provides one.
exec </dev/console >/dev/console 2>&1
# devtmpfs lacks these links (udev makes them on a full system); the
# kselftest runner writes test output to /dev/stdout.
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
mkdir -p /dev/pts /dev/shm /dev/mqueue
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t mqueue mqueue /dev/mqueue
hostname mbox-vm
# Loopback, for the bridge tests' nats-server.
ifconfig lo 127.0.0.1 up 2>/dev/null || ip link set lo up 2>/dev/null
# The kernel booted with loglevel=5; from here on its info messages (the
# module's own) reach the console too.
dmesg -n 7

# Tests switch to these ids to check permissions as unprivileged users.
cat >/etc/passwd <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
mboxuser:x:1000:1000:mbox test user:/home/mboxuser:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >/etc/group <<'GROUP'
root:x:0:
mboxuser:x:1000:
nogroup:x:65534:
GROUP
chown 1000:1000 /home/mboxuser

out=/dev/ttyS1
[ -c "$out" ] || out=/dev/null

# Processes still alive besides init and tee: what the payload left behind.
# Kernel threads have an empty cmdline and are skipped.
leftovers() {
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		case " 1 $tee_pid " in *" $pid "*) continue ;; esac
		cmd=
		read -r cmd 2>/dev/null <"$p/cmdline"
		[ -n "$cmd" ] && echo "$pid $cmd"
	done
}

echo "mbox-vm: kernel $(uname -r), $(nproc) CPUs"
rc=1
unload=failed
hooks=
# hook STAGE: run /hooks.sh STAGE if the image has it; keep the first failure.
hook() {
	[ -f /hooks.sh ] || return 0
	sh /hooks.sh "$1"
	st=$?
	[ "${hooks:-0}" -ne 0 ] || hooks=$st
}
hook pre-load
if insmod /mbox.ko; then
	echo "mbox-vm: mbox.ko loaded"
	cd /
	# tee reads a fifo rather than a pipe from the payload, so that init
	# can go on when the payload exits but its children keep the fifo open.
	mkfifo /tmp/payload.fifo
	tee "$out" </tmp/payload.fifo &
	tee_pid=$!
	sh /payload.sh >/tmp/payload.fifo 2>&1
	rc=$?
	echo "mbox-vm: payload exited with $rc"
	# Leftover processes may hold mailbox fds and would keep the module
	# busy: end them so rmmod tests that closing everything frees the module.
	for _ in 1 2 3; do
		leftovers >/tmp/leftovers
		[ -s /tmp/leftovers ] || break
		echo "mbox-vm: killing processes the payload left behind:"
		cat /tmp/leftovers
		sleep 1
		# shellcheck disable=SC2046 # one argument per pid
		kill -KILL $(cut -d' ' -f1 /tmp/leftovers) 2>/dev/null
	done
	wait "$tee_pid"
	hook pre-unload
	if rmmod mbox; then
		unload=ok
		echo "mbox-vm: mbox.ko unloaded"
	else
		echo "mbox-vm: rmmod mbox FAILED; still loaded:"
		lsmod
	fi
else
	echo "mbox-vm: insmod /mbox.ko FAILED"
fi
hook post-unload

echo "MBOX-VM-RESULT payload=$rc unload=$unload${hooks:+ hooks=$hooks}"
# Let the UART drain before the power goes.
sleep 1
poweroff -f
