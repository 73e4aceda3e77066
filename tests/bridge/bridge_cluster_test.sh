#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kselftest for mbox-bridge(8) on a replicated stream: a three-server NATS
# cluster with JetStream on the VM's loopback (stores on tmpfs), a stream
# with three replicas, two IPC namespaces as hosts A and B. Messages from
# A reach B exactly once when nothing fails, and nothing is lost when one
# of the three servers is killed mid-stream. TAP output; exit 0 if all
# passed, 1 if any failed, 4 (skip) without /dev/mbox, the programs, or
# TCP/IP in the kernel. Plain POSIX sh (busybox ash in the test VM).

. "$(dirname "$0")/bridge_lib.sh"

pids= bridge_a= bridge_b=
cleanup() {
	for p in $bridge_a $bridge_b $pids; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	nsenter --ipc="$tmp/nsA" "$MBOXCTL" rm -f cjobs 2>/dev/null
	nsenter --ipc="$tmp/nsB" "$MBOXCTL" rm -f cjobs 2>/dev/null
	umount "$tmp/nsA" "$tmp/nsB" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# wait_forwarded FILE MIN SECONDS: until the import has sent MIN locally.
wait_forwarded() {
	wait_status "$1" import cjobs forwarded "$2" "$3"
}
# Server i (1..3): client port 4221+i, cluster port 6221+i, routes to all.
ROUTES=nats://127.0.0.1:6222,nats://127.0.0.1:6223,nats://127.0.0.1:6224
URLS="--server nats://127.0.0.1:4222 --server nats://127.0.0.1:4223 --server nats://127.0.0.1:4224"
start_server() {
	"$NATS" -js -sd "$tmp/js$1" -a 127.0.0.1 -p $((4221 + $1)) -n "n$1" \
		--cluster_name mbox --cluster nats://127.0.0.1:$((6221 + $1)) \
		--routes $ROUTES >>"$tmp/nats$1.log" 2>&1 &
	eval "server$1=$!"
	pids="$pids $!"
}
start_server 1
start_server 2
start_server 3
for srv in 1 2 3; do
	wait_for "$tmp/nats$srv.log" "Server is ready\|Error listening" 30
	if nats_unavailable "$tmp/nats$srv.log"; then
		echo "1..0 # SKIP no TCP/IP in this kernel: nats-server cannot listen"
		exit $KSFT_SKIP
	fi
	if ! grep -q "Server is ready" "$tmp/nats$srv.log"; then
		echo "1..1"
		result 1 "three nats-servers are up"
		exit $KSFT_FAIL
	fi
done
echo "1..4"
# JetStream in a cluster needs a metadata leader before any stream.
wait_for "$tmp/nats1.log" "JetStream cluster new metadata leader\|Self is new JetStream cluster metadata leader" 60 ||
	wait_for "$tmp/nats2.log" "metadata leader" 5 || wait_for "$tmp/nats3.log" "metadata leader" 5
result $? "a three-server JetStream cluster has a metadata leader"

touch "$tmp/nsA" "$tmp/nsB"
unshare --ipc="$tmp/nsA" true && unshare --ipc="$tmp/nsB" true &&
	nsenter --ipc="$tmp/nsA" "$MBOXCTL" create cjobs -c 16 &&
	nsenter --ipc="$tmp/nsB" "$MBOXCTL" create cjobs -c 16
result $? "two hosts with a mailbox each"

# shellcheck disable=SC2086 # URLS is several flags
nsenter --ipc="$tmp/nsA" "$BRIDGE" --host A $URLS --lease 10s \
	--export "cjobs stream=CJOBS replicas=3" \
	--status-file "$tmp/A.status" >>"$tmp/bridgeA.log" 2>&1 &
bridge_a=$!
# shellcheck disable=SC2086
nsenter --ipc="$tmp/nsB" "$BRIDGE" --host B $URLS --ack-wait 3s \
	--import "cjobs stream=CJOBS replicas=3" \
	--status-file "$tmp/B.status" >>"$tmp/bridgeB.log" 2>&1 &
bridge_b=$!

nsenter --ipc="$tmp/nsA" "$PEER" send cjobs c1 0 100 >"$tmp/send1" 2>&1 &
nsenter --ipc="$tmp/nsB" "$PEER" recv cjobs c1 100 180 >"$tmp/recv1" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q "duplicates 0 missing 0" "$tmp/recv1" &&
	grep -q "stream CJOBS created: .* 3 replica" "$tmp/bridgeA.log" "$tmp/bridgeB.log"
result $? "100 messages over a stream of three replicas, exactly once" "$tmp/recv1"

# One server of three killed mid-stream: the stream keeps a quorum.
nsenter --ipc="$tmp/nsA" "$PEER" send cjobs c2 0 200 >"$tmp/send2" 2>&1 &
nsenter --ipc="$tmp/nsB" "$PEER" recv cjobs c2 200 240 >"$tmp/recv2" 2>&1 &
receiver=$!
wait_forwarded "$tmp/B.status" 150 120
kill -9 "$server2"
killed=$?
wait $receiver
rc=$?
dups=$(sed -n 's/.*duplicates \([0-9]*\).*/\1/p' "$tmp/recv2")
[ $killed -eq 0 ] && [ $rc -eq 0 ] && [ "${dups:-99}" -le 17 ]
result $? "one of three servers killed mid-stream: nothing lost" "$tmp/recv2"

[ $failed -eq 0 ] && exit $KSFT_PASS
exit $KSFT_FAIL
