#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The bridge's part of `make bench`, run by scripts/guest-bench.sh inside the
# VM when the image has mbox-bridge and nats-server: the same traffic
# through mbox-bridge (host A -> NATS -> host B, two IPC namespaces) and
# through a plain NATS client (tools/mbox-bridge/tests/bridge_bench.c), in
# rounds that alternate the two. Prints "metric,size,mechanism,value,unit"
# lines between BRIDGE-CSV-BEGIN and BRIDGE-CSV-END for tools/bench/report.sh.
#
#   bridge-bench.sh [ROUNDS]
ROUNDS=${1:-3}
STREAM_COUNT=1000
CALL_COUNT=300
URL=nats://127.0.0.1:4222
tmp=$(mktemp -d) || exit 1
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	nsenter --ipc="$tmp/nsA" mboxctl rm -f bjobs brpc 2>/dev/null
	nsenter --ipc="$tmp/nsB" mboxctl rm -f bjobs brpc 2>/dev/null
	umount "$tmp/nsA" "$tmp/nsB" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

nats-server -js -sd "$tmp/js" -a 127.0.0.1 -p 4222 >"$tmp/nats.log" 2>&1 &
pids="$pids $!"
i=0
until grep -q "Server is ready" "$tmp/nats.log"; do
	i=$((i + 1))
	if [ $i -gt 300 ]; then
		echo "bridge-bench: nats-server did not start:"
		tail -n 5 "$tmp/nats.log"
		exit 1
	fi
	sleep 0.1
done
touch "$tmp/nsA" "$tmp/nsB"
unshare --ipc="$tmp/nsA" true && unshare --ipc="$tmp/nsB" true || exit 1
for ns in nsA nsB; do
	nsenter --ipc="$tmp/$ns" mboxctl create bjobs -c 64 -s 8192 &&
		nsenter --ipc="$tmp/$ns" mboxctl create brpc -c 4 -s 8192 || exit 1
done
nsenter --ipc="$tmp/nsA" mbox-bridge --host A --server $URL \
	--export "bjobs stream=BJOBS" --export "brpc stream=BRPC" \
	--status-file "$tmp/A.status" >"$tmp/A.log" 2>&1 &
pids="$pids $!"
nsenter --ipc="$tmp/nsB" mbox-bridge --host B --server $URL \
	--import "bjobs stream=BJOBS" --import "brpc stream=BRPC" \
	--status-file "$tmp/B.status" >"$tmp/B.log" 2>&1 &
pids="$pids $!"
sleep 2

echo "BRIDGE-CSV-BEGIN"
echo "round,metric,size,mechanism,value,unit"
status=0
r=1
while [ $r -le "$ROUNDS" ]; do
	for size in 64 4096; do
		for job in "nats-stream $URL $size $STREAM_COUNT" \
			   "mbox-stream $tmp/nsA bjobs $tmp/nsB bjobs $size $STREAM_COUNT" \
			   "nats-call $URL $size $CALL_COUNT" \
			   "mbox-call $tmp/nsA brpc $tmp/nsB brpc $size $CALL_COUNT"; do
			# shellcheck disable=SC2086 # the job's words
			line=$(timeout 300 bridge_bench $job) || status=1
			[ -n "$line" ] && echo "$r,$line"
		done
	done
	r=$((r + 1))
done
echo "BRIDGE-CSV-END"
[ $status -eq 0 ] || { echo "bridge-bench: a measurement failed"; tail -n 5 "$tmp"/*.log; }
exit $status
