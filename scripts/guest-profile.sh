#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Payload of `make profile` (runs inside the VM as /payload.sh): sample the
# whole machine with perf's cpu-clock software event (TCG has no PMU) while
# /usr/bin/mbox-bench runs with the arguments in /profile-args, then print
# where the time went, kernel and user, flat and by caller.
echo 65536 >/proc/sys/fs/mqueue/msgsize_max
echo 64 >/proc/sys/fs/mqueue/msg_max
echo 65536 >/proc/sys/kernel/msgmax
echo $((64 * 65536)) >/proc/sys/kernel/msgmnb
# perf resolves kernel and module symbols through /proc/kallsyms.
echo 0 >/proc/sys/kernel/kptr_restrict
echo -1 >/proc/sys/kernel/perf_event_paranoid

args=
[ -f /profile-args ] && args=$(cat /profile-args)
echo "guest-profile: $(uname -r), $(nproc) vCPU(s); mbox-bench $args"
cd /tmp || exit 1
# shellcheck disable=SC2086 # the arguments are meant to split into words
perf record -q -e cpu-clock -F 4999 -a -g -o /tmp/perf.data -- \
	/usr/bin/mbox-bench $args
rc=$?
echo "guest-profile: mbox-bench exited with $rc"
echo "=== flat, by symbol ==="
perf report -i /tmp/perf.data --stdio --no-children --sort comm,dso,sym \
	-g none --percent-limit 0.5 2>/dev/null | grep -v '^$'
echo "=== by caller (mbox only) ==="
perf report -i /tmp/perf.data --stdio --children --sort sym \
	-g caller,0.5,callee --percent-limit 2 --symbol-filter=mbox 2>/dev/null |
	grep -v '^$' | head -300
exit $rc
