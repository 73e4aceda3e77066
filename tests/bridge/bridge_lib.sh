# SPDX-License-Identifier: GPL-2.0
# Sourced by the bridge kselftests (bridge_test.sh, bridge_cluster_test.sh):
# the programs, the skips, TAP results and waits they share. Sets $here,
# $tmp (a fresh directory), $BRIDGE, $PEER, $MBOXCTL, $NATS, $n and
# $failed, and prints the TAP header; exits with the skip status when a
# program or /dev/mbox is missing. Programs are found beside the scripts,
# else in PATH. Plain POSIX sh (busybox ash in the test VM).

KSFT_PASS=0 KSFT_FAIL=1 KSFT_SKIP=4
here=$(cd "$(dirname "$0")" && pwd)
find_prog() {
	if [ -x "$here/$1" ]; then echo "$here/$1"; else command -v "$1"; fi
}
BRIDGE=$(find_prog mbox-bridge)
PEER=$(find_prog bridge_peer)
MBOXCTL=$(find_prog mboxctl)
NATS=$(find_prog nats-server)

echo "TAP version 13"
for p in "$BRIDGE" "$PEER" "$MBOXCTL" "$NATS"; do
	if [ -z "$p" ] || [ ! -x "$p" ]; then
		echo "1..0 # SKIP mbox-bridge, bridge_peer, mboxctl or nats-server not found"
		exit $KSFT_SKIP
	fi
done
if [ ! -c /dev/mbox ]; then
	echo "1..0 # SKIP /dev/mbox missing (mbox module not loaded)"
	exit $KSFT_SKIP
fi
tmp=$(mktemp -d) || exit $KSFT_FAIL
n=0 failed=0

# result STATUS DESC [DETAIL-FILE]: one TAP line; the detail's last line on
# success, its tail and every log's on failure.
result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
		[ -n "${3:-}" ] && sed 's/^/# /' "$3" | tail -n 1
	else
		failed=$((failed + 1))
		echo "not ok $n $2"
		[ -n "${3:-}" ] && sed 's/^/#   /' "$3" | tail -n 20
		for f in "$tmp"/*.log; do
			[ -f "$f" ] || continue
			echo "# $(basename "$f"):"
			tail -n 8 "$f" | sed 's/^/#   /'
		done
	fi
}

# wait_for FILE PATTERN SECONDS: until a line of FILE matches.
# (Counters with names of their own: sh has no local variables, and a
# caller's loop must not see them change.)
wait_for() {
	_wf=0
	until grep -q "$2" "$1" 2>/dev/null; do
		_wf=$((_wf + 1))
		[ $_wf -gt $(($3 * 10)) ] && return 1
		sleep 0.1
	done
}

# status_field FILE DIR MAILBOX KEY: a counter from a bridge's status file.
status_field() {
	awk -v d="$2" -v m="$3" -v k="$4" \
		'$1 == d && $2 == m { for (i = 3; i < NF; i++) if ($i == k) print $(i + 1) }' "$1"
}

# wait_status FILE DIR MAILBOX KEY MIN SECONDS: until the counter is MIN.
wait_status() {
	_ws=0
	while :; do
		_wv=$(status_field "$1" "$2" "$3" "$4" 2>/dev/null)
		[ -n "$_wv" ] && [ "$_wv" -ge "$5" ] && return 0
		_ws=$((_ws + 1))
		[ $_ws -gt $(($6 * 10)) ] && return 1
		sleep 0.1
	done
}

# nats_unavailable LOG: whether nats-server failed for want of TCP/IP (a
# kernel without CONFIG_INET, such as the small debug kernels).
nats_unavailable() {
	grep -q "address family not supported\|Error listening" "$1" 2>/dev/null
}
