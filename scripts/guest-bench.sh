#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Payload of `make bench` (runs inside the VM as /payload.sh): raise the
# message-size limits of POSIX mq and SysV msg so that 64 KiB messages are
# possible for every mechanism, run /usr/bin/mbox-bench with the arguments in
# /bench-args, and print its CSV between BENCH-CSV-BEGIN and BENCH-CSV-END
# lines, which the host (tools/bench/report.sh) cuts out of build/vm-*.out.
# Exits with mbox-bench's status: non-zero if any measurement failed.

# POSIX mq: 64 messages of up to 64 KiB per queue (root could exceed
# msg_max and msgsize_max anyway, through CAP_SYS_RESOURCE).
echo 65536 >/proc/sys/fs/mqueue/msgsize_max
echo 64 >/proc/sys/fs/mqueue/msg_max
# SysV: msgmax is a hard limit on one message, also for root; msgmnb is the
# default queue size in bytes (mbox-bench sets each queue to 64 messages).
echo 65536 >/proc/sys/kernel/msgmax
echo $((64 * 65536)) >/proc/sys/kernel/msgmnb

echo "guest-bench: $(uname -r), $(nproc) vCPU(s), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
echo "guest-bench: fs.mqueue.msg_max=$(cat /proc/sys/fs/mqueue/msg_max)" \
	"fs.mqueue.msgsize_max=$(cat /proc/sys/fs/mqueue/msgsize_max)" \
	"kernel.msgmax=$(cat /proc/sys/kernel/msgmax)" \
	"kernel.msgmnb=$(cat /proc/sys/kernel/msgmnb)"

args=
[ -f /bench-args ] && args=$(cat /bench-args)
echo "guest-bench: mbox-bench $args"
# shellcheck disable=SC2086 # the arguments are meant to split into words
/usr/bin/mbox-bench $args -o /tmp/bench.csv
rc=$?
if [ -s /tmp/bench.csv ]; then
	echo "BENCH-CSV-BEGIN"
	cat /tmp/bench.csv
	echo "BENCH-CSV-END"
fi
echo "guest-bench: mbox-bench exited with $rc"
# The bridge against plain NATS, when the image has them.
if [ -x /usr/bin/bridge-bench.sh ] && command -v nats-server >/dev/null; then
	/usr/bin/bridge-bench.sh || rc=1
fi
exit $rc
