#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Payload of `make check-debug` (runs inside the VM as /payload.sh, on the
# debug kernel): every kselftest collection in /kselftest with the kernel's
# runner, as scripts/guest-kselftest.sh does for `make check`, then every
# executable in /stress (the Makefile's STRESS_PROGS), in name order.
#
# A stress program runs for a bounded time of its own and exits 0 on
# success; after STRESS_TIMEOUT seconds it is killed. Its output and result
# are framed as the kselftest runner frames a test ("# selftests: stress:
# NAME", its lines behind "# ", then "ok N selftests: stress: NAME" or
# "not ok ... # exit=RC"), so scripts/ksft-summary.sh counts it with the
# rest. The runner's exit status means nothing; the host counts the results.
# Kernel reports (KASAN, lockdep, kmemleak, ...) are judged by the host from
# the console (scripts/vm-run.sh), kmemleak before and after the unload
# (scripts/guest-debug-hooks.sh).
STRESS_TIMEOUT=900

# The debug lane gives the stress, fault and fuzz suites longer than
# make check's few seconds each; each stays well inside the runner's
# per-test timeout (selftests/settings).
export MBOX_STRESS_SECONDS="${MBOX_STRESS_SECONDS:-30}"
export MBOX_FAULTS_SECONDS="${MBOX_FAULTS_SECONDS:-30}"
export MBOX_FUZZ_SECONDS="${MBOX_FUZZ_SECONDS:-30}"

cd /kselftest || exit 1
./run_kselftest.sh

[ -d /stress ] || exit 0
n=0
for prog in /stress/*; do
	if [ ! -f "$prog" ] || [ ! -x "$prog" ]; then continue; fi
	n=$((n + 1))
	name=${prog##*/}
	echo "# selftests: stress: $name"
	rm -f /tmp/stress.rc
	{
		timeout -k 10 "$STRESS_TIMEOUT" "$prog" </dev/null
		echo $? >/tmp/stress.rc
	} 2>&1 | sed 's/^/# /'
	rc=$(cat /tmp/stress.rc 2>/dev/null) || rc=
	case "$rc" in
	0) echo "ok $n selftests: stress: $name" ;;
	124 | 137) echo "not ok $n selftests: stress: $name # TIMEOUT $STRESS_TIMEOUT seconds" ;;
	*) echo "not ok $n selftests: stress: $name # exit=${rc:-unknown}" ;;
	esac
done
exit 0
