#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kselftest for mbox-bridge(8), hermetic: a nats-server with JetStream on
# the VM's loopback (its store on tmpfs) and two IPC namespaces standing in
# for two hosts, A and B, each with its own mailboxes and its own bridge.
# TAP output; exit 0 if all passed, 1 if any failed, 4 (skip) without
# /dev/mbox, nats-server or the programs.
#
# Scenarios: messages from A's senders reach B's receivers exactly once
# and in order; kill -9 of either bridge mid-stream loses nothing and
# duplicates stay within the documented bound; a full stream blocks A's
# senders (a try-send gets EAGAIN) until B drains it; nats-server
# restarted mid-stream: the bridges reconnect and nothing is lost; the
# status command.
#
# bridge_lib.sh finds the programs. Plain POSIX sh (busybox ash in the VM).

. "$(dirname "$0")/bridge_lib.sh"

URL=nats://127.0.0.1:4222
nats_pid= bridge_a= bridge_b= bridge_b2=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	for p in $bridge_a $bridge_b $bridge_b2 $nats_pid; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	# The names, so that the mailboxes go now, not when the namespaces do.
	inA "$MBOXCTL" rm -f jobs full rpc lonely 2>/dev/null
	inB "$MBOXCTL" rm -f jobs full rpc 2>/dev/null
	umount "$tmp/nsA" "$tmp/nsB" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# Two "hosts": IPC namespaces kept by bind mounts, entered per command.
touch "$tmp/nsA" "$tmp/nsB"
if ! unshare --ipc="$tmp/nsA" true || ! unshare --ipc="$tmp/nsB" true; then
	echo "1..0 # SKIP cannot make IPC namespaces"
	exit $KSFT_SKIP
fi
# (Commands to run in the background are written out, not through these
# functions: $! must be the program's pid, not a subshell's.)
inA() { nsenter --ipc="$tmp/nsA" "$@"; }
inB() { nsenter --ipc="$tmp/nsB" "$@"; }

start_nats() {
	"$NATS" -js -sd "$tmp/js" -a 127.0.0.1 -p 4222 >>"$tmp/nats.log" 2>&1 &
	nats_pid=$!
	i=0
	until grep -q "Server is ready" "$tmp/nats.log" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 300 ] && return 1
		kill -0 $nats_pid 2>/dev/null || return 1
		sleep 0.1
	done
}
# stat_field HOST NAME FIELD: a mailbox counter, via mboxctl stat.
stat_field() {
	"in$1" "$MBOXCTL" stat "$2" | sed -n "s/^$3: *\([0-9]*\).*/\1/p"
}
# status_pid FILE: the pid the bridge writing FILE reports.
status_pid() {
	awk 'NR == 1 { for (i = 1; i < NF; i++) if ($i == "pid") print $(i + 1) }' "$1"
}
start_a() {
	nsenter --ipc="$tmp/nsA" "$BRIDGE" --host A --server $URL --lease 5s \
		--export "jobs stream=JOBS" \
		--export "full stream=FULL max-msgs=5" \
		--export "rpc stream=RPC" --export "lonely stream=LONELY" \
		--call-timeout 20s \
		--status-file "$tmp/A.status" >>"$tmp/bridgeA.log" 2>&1 &
	bridge_a=$!
}
start_b() {
	nsenter --ipc="$tmp/nsB" "$BRIDGE" --host B --server $URL --ack-wait 2s \
		--import "jobs stream=JOBS" --import "rpc stream=RPC" \
		--status-file "$tmp/B.status" >>"$tmp/bridgeB.log" 2>&1 &
	bridge_b=$!
}

# nats-server needs TCP on loopback: a kernel without CONFIG_INET (the
# small debug kernels of make check-debug) cannot run this test.
if ! start_nats; then
	if nats_unavailable "$tmp/nats.log"; then
		echo "1..0 # SKIP no TCP/IP in this kernel: nats-server cannot listen"
		exit $KSFT_SKIP
	fi
	echo "1..1"
	result 1 "nats-server with JetStream is up"
	exit $KSFT_FAIL
fi
echo "1..12"
result 0 "nats-server with JetStream is up"

inA "$MBOXCTL" create jobs -c 16 && inB "$MBOXCTL" create jobs -c 16 &&
	inA "$MBOXCTL" create full -c 4 && inB "$MBOXCTL" create full -c 4 &&
	inA "$MBOXCTL" create rpc -c 4 && inB "$MBOXCTL" create rpc -c 4 &&
	inA "$MBOXCTL" create lonely -c 4
result $? "a mailbox of each name on each host"
start_a
start_b

# 1. Nothing fails: every message once, in order; the sender B's receivers
# see is the bridge (a bridged message is told apart by its sender).
nsenter --ipc="$tmp/nsA" "$PEER" send jobs t1 0 200 >"$tmp/send1" 2>&1 &
sender=$!
inB "$PEER" recv jobs t1 200 120 >"$tmp/recv1" 2>&1
rc=$?
wait $sender
[ $rc -eq 0 ] && grep -q "unique 200 duplicates 0 missing 0 disorder 0" "$tmp/recv1"
result $? "200 messages from A reach B exactly once, in order" "$tmp/recv1"
grep -q "last-sender pid $bridge_b uid 0 claim 'host=A mailbox=jobs pid=[0-9]* uid=0 gid=0'" "$tmp/recv1"
result $? "B's receivers see B's bridge as the sender, A's origin as its claim" "$tmp/recv1"

# 2. kill -9 of the exporting bridge mid-stream: no loss; its message in
# flight comes back (released with its lease) and the stream drops the
# republished copy by its message id.
nsenter --ipc="$tmp/nsA" "$PEER" send jobs t2 0 300 >"$tmp/send2" 2>&1 &
sender=$!
base=$(status_field "$tmp/A.status" export jobs forwarded)
wait_status "$tmp/A.status" export jobs forwarded $((base + 100)) 60
victim=$(status_pid "$tmp/A.status")
bridge_a_old=$bridge_a
kill -9 $bridge_a
wait $bridge_a 2>/dev/null
start_a
inB "$PEER" recv jobs t2 300 180 >"$tmp/recv2" 2>&1
rc=$?
wait $sender
dups=$(sed -n 's/.*duplicates \([0-9]*\).*/\1/p' "$tmp/recv2")
[ $rc -eq 0 ] && [ "${dups:-99}" -le 1 ] && [ "$victim" = "$bridge_a_old" ]
result $? "kill -9 of A's bridge mid-stream: nothing lost, duplicates <= 1" "$tmp/recv2"

# 3. kill -9 of the importing bridge mid-stream: no loss; what it had
# fetched and not acknowledged comes again after ack-wait: at most one
# fetch, the mailbox's 16 slots.
nsenter --ipc="$tmp/nsA" "$PEER" send jobs t3 0 300 >"$tmp/send3" 2>&1 &
sender=$!
nsenter --ipc="$tmp/nsB" "$PEER" recv jobs t3 300 240 >"$tmp/recv3" 2>&1 &
receiver=$!
base=$(status_field "$tmp/B.status" import jobs forwarded)
wait_status "$tmp/B.status" import jobs forwarded $((base + 100)) 120
victim=$(status_pid "$tmp/B.status")
bridge_b_old=$bridge_b
kill -9 $bridge_b
wait $bridge_b 2>/dev/null
start_b
wait $receiver
rc=$?
wait $sender
dups=$(sed -n 's/.*duplicates \([0-9]*\).*/\1/p' "$tmp/recv3")
[ $rc -eq 0 ] && [ "${dups:-99}" -le 16 ] && [ "$victim" = "$bridge_b_old" ]
result $? "kill -9 of B's bridge mid-stream: nothing lost, duplicates <= 16" "$tmp/recv3"

# 4. A full stream (max-msgs 5, nobody importing) holds A's senders: the
# stream takes 5, the mailbox 4, then a try-send gets EAGAIN.
inA "$PEER" send full t4 0 9 >"$tmp/send4" 2>&1
wait_status "$tmp/A.status" export full acked 5 60 &&
	wait_for "$tmp/A.status" "^export full .* blocked 1" 30
# Four slots taken: queued, or one out on lease to the bridge retrying it.
queued=$(stat_field A full queued)
leased=$(stat_field A full leased)
inA "$PEER" trysend full
rc=$?
[ "$rc" -eq 3 ] && [ $((queued + leased)) -eq 4 ]
result $? "a full stream blocks A's senders (try-send: EAGAIN; queued $queued, leased $leased)"

# ... and once B imports it, everything flows: 9 messages plus the try.
nsenter --ipc="$tmp/nsB" "$BRIDGE" --host B2 --server $URL --import "full stream=FULL" \
	--status-file "$tmp/B2.status" >>"$tmp/bridgeB2.log" 2>&1 &
bridge_b2=$!
inB "$PEER" recv full t4 9 120 >"$tmp/recv4" 2>&1
result $? "draining the stream lets A's senders go on" "$tmp/recv4"

# 5. nats-server restarted mid-stream (same store): bridges reconnect.
base=$(status_field "$tmp/A.status" export jobs forwarded)
nsenter --ipc="$tmp/nsA" "$PEER" send jobs t5 0 200 >"$tmp/send5" 2>&1 &
sender=$!
nsenter --ipc="$tmp/nsB" "$PEER" recv jobs t5 200 240 >"$tmp/recv5" 2>&1 &
receiver=$!
wait_status "$tmp/A.status" export jobs forwarded $((base + 50)) 120
kill $nats_pid
wait $nats_pid 2>/dev/null
sleep 1
start_nats
wait $receiver
rc=$?
wait $sender
dups=$(sed -n 's/.*duplicates \([0-9]*\).*/\1/p' "$tmp/recv5")
[ $rc -eq 0 ] && [ "${dups:-99}" -le 17 ]
result $? "nats-server restarted mid-stream: reconnected, nothing lost" "$tmp/recv5"
# Both bridges back on NATS (their subscriptions with them) before calls.
wait_for "$tmp/A.status" "nats connected" 30
wait_for "$tmp/B.status" "nats connected" 30

# 6. Calls: a call on A's exported mailbox is answered by a server on B.
nsenter --ipc="$tmp/nsB" "$MBOXCTL" serve rpc -n 1 -- tr a-z A-Z \
	>"$tmp/serve1" 2>&1 &
server=$!
inA "$MBOXCTL" call rpc -t 60000 hello >"$tmp/call1" 2>&1
rc=$?
kill $server 2>/dev/null	# if the call never reached it
wait $server
[ $rc -eq 0 ] && grep -q "^HELLO" "$tmp/call1"
result $? "a call from A is answered by a server on B" "$tmp/call1"

# B's server killed mid-call: the caller on A gets ECONNRESET (mboxctl: 5).
nsenter --ipc="$tmp/nsB" "$MBOXCTL" serve rpc -n 1 -- sleep 30 \
	>"$tmp/serve2" 2>&1 &
server=$!
base=$(status_field "$tmp/B.status" import rpc calls)
nsenter --ipc="$tmp/nsA" "$MBOXCTL" call rpc -t 60000 slow >"$tmp/call2" 2>&1 &
caller=$!
wait_status "$tmp/B.status" import rpc calls $((base + 1)) 60
sleep 1			# the server has the request and runs sleep
pkill -9 -P $server
kill -9 $server
wait $caller
rc=$?
[ $rc -eq 5 ]
result $? "B's server killed mid-call: A's caller gets ECONNRESET (exit $rc)" "$tmp/call2"

# Nobody imports: the call fails at once with ECONNRESET, not a hang.
inA "$MBOXCTL" call lonely -t 60000 anyone >"$tmp/call3" 2>&1
rc=$?
[ $rc -eq 5 ]
result $? "a call nobody can answer fails with ECONNRESET (exit $rc)" "$tmp/call3"

# 7. The status command.
"$BRIDGE" status --status-file "$tmp/A.status" >"$tmp/status" 2>&1 &&
	grep -q "^mbox-bridge .* host A .* nats connected" "$tmp/status" &&
	grep -q "^export *jobs *JOBS " "$tmp/status"
result $? "mbox-bridge status shows the links and the connection" "$tmp/status"

[ $failed -eq 0 ] && exit $KSFT_PASS
exit $KSFT_FAIL
