#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kselftest for mboxctl(8): every command, its output, its errors and its
# exit status (0 ok, 1 failed, 2 usage, 3 timed out, 4 shut down, 5 no
# reply), run against the loaded mbox module. TAP output; exit 0 if all passed, 1 if
# any failed, 4 (skip) without /dev/mbox or mboxctl.
#
# Uses the mboxctl beside this script if there is one, else the one in PATH
# (MBOXCTL=... overrides both). Permission checks run as uid/gid 1000 via
# setpriv(1) when run as root. Plain POSIX sh (busybox ash in the test VM).

KSFT_PASS=0 KSFT_FAIL=1 KSFT_SKIP=4
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${MBOXCTL:-}" ]; then
	if [ -x "$here/mboxctl" ]; then MBOXCTL=$here/mboxctl; else MBOXCTL=$(command -v mboxctl); fi
fi

echo "TAP version 13"
if [ -z "$MBOXCTL" ] || [ ! -x "$MBOXCTL" ]; then
	echo "1..0 # SKIP mboxctl not found"
	exit $KSFT_SKIP
fi
if [ ! -c /dev/mbox ]; then
	echo "1..0 # SKIP /dev/mbox missing (mbox module not loaded)"
	exit $KSFT_SKIP
fi

tmp=$(mktemp -d) || exit $KSFT_FAIL
out=$tmp/out err=$tmp/err
p=mboxctl-test.$$		# every mailbox name starts with this
n=0 failed=0
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	for m in q r perm perm2 mask1 mask2 big q1 q2 svc; do "$MBOXCTL" rm -f "$p.$m" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

# run CMD...: run it; $rc, $out and $err (files) hold what it did.
run() {
	"$@" >"$out" 2>"$err"
	rc=$?
}
# mboxctl ARGS...: run mboxctl.
m() { run "$MBOXCTL" "$@"; }
# result OK DESC: one TAP line; on failure show what the command did.
result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		failed=$((failed + 1))
		echo "not ok $n $2"
		echo "# exit status $rc; stdout:"
		sed 's/^/#   /' "$out" | head -n 20
		echo "# stderr:"
		sed 's/^/#   /' "$err" | head -n 20
	fi
}
# expect STATUS DESC [GREP-PATTERN-ON-STDERR]: check the last command.
expect() {
	ok=0
	[ "$rc" -eq "$1" ] || ok=1
	if [ $# -ge 3 ] && ! grep -q -- "$3" "$err"; then ok=1; fi
	result $ok "$2"
}
# has PATTERN: stdout of the last command matches.
has() { grep -q -- "$1" "$out"; }

# --- usage --------------------------------------------------------------
m --version
has "^mboxctl (mbox) [0-9]"; result $? "--version prints the version"
m --help
[ "$rc" -eq 0 ] && has "recv" && has "Exit status"; result $? "--help lists the commands, exit 0"
m
expect 2 "no command: exit 2" "missing COMMAND"
m frobnicate
expect 2 "unknown command: exit 2" "unknown command 'frobnicate'"
m create
expect 2 "create without NAME: exit 2" "missing mailbox NAME"
m create "$p.q" --capacity lots
expect 2 "create --capacity lots: exit 2" "invalid --capacity"
m create "$p.q" --mode 0999
expect 2 "create --mode 0999: exit 2" "invalid --mode"
m recv "$p.q" --bogus
expect 2 "unknown option: exit 2" "unrecognized option '--bogus'"
m recv "$p.q" --timeout
expect 2 "option without its argument: exit 2" "needs an argument"
m send "$p.q" --lines hello
expect 2 "send --lines with a MESSAGE: exit 2"
m recv --help
[ "$rc" -eq 0 ] && has "Usage: mboxctl recv"; result $? "recv --help, exit 0"

# --- info -----------------------------------------------------------------
m info
[ "$rc" -eq 0 ] && has "^abi_version: *[1-9][0-9]*$" && has "^name_max: *255$" && has "^max_msg_size: *[0-9]" &&
	has "^features: .*user_limits"
result $? "info shows the ABI version and limits"
[ "$rc" -eq 0 ] && has "^max_user_mailboxes: *[0-9]" && has "^max_user_bytes: *[0-9]" &&
	has "^user_mailboxes: *[0-9]" && has "^user_bytes: *[0-9]" && has "^user_unlimited: *yes$"
result $? "info shows the per-user limits and the caller's usage (root: unlimited)"

# --- create, stat, ls ---------------------------------------------------------
m create "$p.q" --capacity 4 --msg-size 128 --mode 0640
expect 0 "create --capacity 4 --msg-size 128 --mode 0640"
m create "$p.q"
expect 1 "create of an existing name: exit 1, EEXIST" "create '$p.q': File exists"
m create "bad/name"
expect 1 "create of an invalid name: exit 1, EINVAL" "Invalid argument"
m create "$p.big" --msg-size 999999999
expect 1 "create above max_msg_size: exit 1, EINVAL" "Invalid argument"
m stat "$p.q"
[ "$rc" -eq 0 ] && has "^name: *$p.q$" && has "^capacity: *4$" && has "^msg_size: *128$" &&
	has "^mode: *0640 (-rw-r-----)$" && has "^owner: .*($(id -u))$" && has "^queued: *0$" &&
	has "^flags: *-$"
result $? "stat shows capacity, msg_size, mode, owner, queue, flags"
m ls
[ "$rc" -eq 0 ] && head -n 1 "$out" | grep -q "^NAME  *OWNER  *GROUP  *MODE  *CAPACITY" &&
	grep -q "^$p.q  .* 0640  *4  *128  *0  *0  " "$out"
result $? "ls lists the mailbox with its mode, capacity and msg_size"
m ls -n
grep -q "^$p.q  *$(id -u)  *$(id -g)  *0640 " "$out"; result $? "ls -n shows numeric owner and group"

# ls formats any listing in the /proc/driver/mbox format (MBOXCTL_PROC).
cat >"$tmp/listing" <<'LISTING'
name uid gid mode capacity msg_size queued bytes senders receivers sent received flags
jobs 0 0 0600 16 8192 3 42 0 0 5 2 -
(anonymous) 1000 1000 0600 0 64 0 0 1 0 0 0 unlinked
LISTING
MBOXCTL_PROC=$tmp/listing run "$MBOXCTL" ls -n
[ "$rc" -eq 0 ] && [ "$(wc -l <"$out")" -eq 3 ] &&
	grep -q "^jobs  *0  *0  *0600  *16  *8192  *3  *42  *0  *0  *5  *2  -$" "$out" &&
	grep -q "^(anonymous)  *1000  *1000  *0600  *0  *64  *0  *0  *1  *0  *0  *0  unlinked$" "$out"
result $? "ls formats every column, anonymous mailboxes included"
echo "garbage" >>"$tmp/listing"
MBOXCTL_PROC=$tmp/listing run "$MBOXCTL" ls
expect 1 "ls of a malformed listing: exit 1" "line 4: unexpected format"
# Columns are found by the header's names: a new column (a statistic the
# kernel added) or another order changes nothing; a missing one is named.
cat >"$tmp/listing" <<'LISTING'
flags name newstat uid gid mode capacity msg_size queued bytes senders receivers sent received
- jobs 77 0 0 0600 16 8192 3 42 0 0 5 2
LISTING
MBOXCTL_PROC=$tmp/listing run "$MBOXCTL" ls -n
[ "$rc" -eq 0 ] && grep -q "^jobs  *0  *0  *0600  *16  *8192  *3  *42  *0  *0  *5  *2  -$" "$out"
result $? "ls reads columns by name: an added column or another order is fine"
printf 'name uid\njobs 0\n' >"$tmp/listing"
MBOXCTL_PROC=$tmp/listing run "$MBOXCTL" ls
expect 1 "ls of a listing without a column it needs: exit 1, names it" "no column 'gid'"

umask 0277
m create "$p.mask1" --mode 0666
m stat "$p.mask1"
has "^mode: *0666 "; result $? "an explicit --mode is not masked by the umask"
m create "$p.mask2"
m stat "$p.mask2"
has "^mode: *0400 "; result $? "the default mode 0600 is masked by the umask (0277)"
umask 022

# --- send and recv --------------------------------------------------------------
m send "$p.q" hello
expect 0 "send MESSAGE"
printf 'two\nlines' | run "$MBOXCTL" send "$p.q" -
expect 0 "send - (standard input, one message)"
printf 'x\ny\n' | run "$MBOXCTL" send "$p.q" --lines
expect 0 "send --lines (one message per line)"
m stat "$p.q"
has "^queued: *4$" && has "^queued_bytes: *16$" && has "^sent: *4$"; result $? "stat counts 4 queued messages, 16 bytes"
m send "$p.q" -t 0 full
expect 3 "send -t 0 to a full mailbox: exit 3, EAGAIN" "send to '$p.q': Resource temporarily unavailable"
m send "$p.q" -t 200 full
expect 3 "send -t 200 to a full mailbox: exit 3, ETIMEDOUT" "Connection timed out"

m recv "$p.q"
[ "$rc" -eq 0 ] && [ "$(cat "$out")" = hello ] && [ "$(wc -l <"$out")" -eq 1 ]
result $? "recv prints the message and a newline"
m recv "$p.q" --raw
printf 'two\nlines' | cmp -s - "$out"; result $? "recv --raw prints the payload bytes exactly"
m recv "$p.q" --count 2
[ "$rc" -eq 0 ] && [ "$(printf 'x\ny')" = "$(cat "$out")" ]; result $? "recv --count 2"

m recv "$p.q" -t 0
expect 3 "recv -t 0 from an empty mailbox: exit 3, EAGAIN" "Resource temporarily unavailable"
m recv "$p.q" -t 100
expect 3 "recv -t 100 from an empty mailbox: exit 3, ETIMEDOUT" "receive from '$p.q': Connection timed out"

"$MBOXCTL" send "$p.q" verbose &
spid=$!
wait $spid
m recv "$p.q" --verbose
[ "$rc" -eq 0 ] && head -n 1 "$out" | grep -q "^seq=5 pid=$spid uid=$(id -u) gid=$(id -g) len=7$" &&
	[ "$(sed -n 2p "$out")" = verbose ]
result $? "recv --verbose: seq, the sender's pid, uid, gid and length"

m send "$p.q" low
m send "$p.q" --priority 9 urgent
m send "$p.q" -p 32767 first
m recv "$p.q" --count 3
[ "$rc" -eq 0 ] && [ "$(printf 'first\nurgent\nlow')" = "$(cat "$out")" ]
result $? "send --priority: higher priorities are received first"
m send "$p.q" --priority 32768 x
expect 2 "send --priority 32768: exit 2" "invalid --priority"

m send "$p.q" "$(printf '%0200d' 0)"
expect 1 "send longer than msg_size: exit 1, EMSGSIZE" "Message too long"
printf '%0129d' 0 | run "$MBOXCTL" send "$p.q"
expect 1 "send - longer than msg_size: exit 1, EMSGSIZE" "Message too long"
m send "$p.q" -- -dash
m recv "$p.q"
[ "$(cat "$out")" = -dash ]; result $? "send -- -MESSAGE sends a message starting with '-'"
m send "$p.q" ""
m recv "$p.q" -v
[ "$rc" -eq 0 ] && has "len=0$"; result $? "an empty message"

# --- shutdown -------------------------------------------------------------------
m send "$p.q" a b c
expect 0 "send of three MESSAGEs"
m shutdown "$p.q"
expect 0 "shutdown"
m shutdown "$p.q"
expect 0 "a second shutdown is not an error"
m send "$p.q" late
expect 4 "send after shutdown: exit 4, EPIPE" "send to '$p.q': Broken pipe"
m stat "$p.q"
has "^flags: *shutdown$" && has "^queued: *3$"; result $? "stat shows shutdown and what is left"
m ls
grep -q "^$p.q .* shutdown$" "$out"; result $? "ls shows the shutdown flag"
m recv "$p.q" --count 0
[ "$rc" -eq 0 ] && [ "$(printf 'a\nb\nc')" = "$(cat "$out")" ]; result $? "recv --count 0 drains to the end of the stream, exit 0"
m recv "$p.q"
expect 4 "recv on a shut-down, drained mailbox: exit 4, EPIPE" "Broken pipe"

# --- rendezvous -----------------------------------------------------------------
m create "$p.r" --capacity 0
m stat "$p.r"
has "^capacity: *0 (rendezvous)$"; result $? "create --capacity 0 makes a rendezvous mailbox"
m send "$p.r" -t 0 nobody
expect 3 "send -t 0 to a rendezvous mailbox with no receiver: exit 3"
"$MBOXCTL" recv "$p.r" -t 10000 >"$tmp/rv" 2>&1 &
rpid=$!
m send "$p.r" -t 10000 meet
wait $rpid
rrc=$?
[ "$rc" -eq 0 ] && [ "$rrc" -eq 0 ] && [ "$(cat "$tmp/rv")" = meet ]
result $? "rendezvous: send completes with a waiting receiver"

# --- call and serve ---------------------------------------------------------------
m create "$p.svc" --capacity 4 --msg-size 64
"$MBOXCTL" serve "$p.svc" --count 2 -- tr a-z A-Z >"$tmp/srv" 2>&1 &
spid=$!
m call "$p.svc" -t 10000 hello
[ "$rc" -eq 0 ] && [ "$(cat "$out")" = HELLO ]
result $? "call: serve answers with its command's output"
printf 'from stdin' >"$tmp/req"
run "$MBOXCTL" call "$p.svc" -t 10000 -v - <"$tmp/req"
[ "$rc" -eq 0 ] && has "^seq=2 pid=[0-9]* uid=0 gid=0 len=10$" && has "^FROM STDIN$"
result $? "call -v -: the request from stdin; seq, and who answered"
wait $spid
src=$?
[ "$src" -eq 0 ]; rc=$src; result $? "serve --count 2 exits 0 after two requests"
m call "$p.svc" -t 50 nobody
expect 3 "call with no server: exit 3, and says it was not delivered" "not delivered"
m recv "$p.svc" -t 0
expect 3 "a timed-out call leaves nothing behind"
# A server that dies with the request in hand: exit 5.
"$MBOXCTL" serve "$p.svc" -- sh -c 'kill -9 $PPID; sleep 1' >"$tmp/srv" 2>&1 &
spid=$!
m call "$p.svc" -t 10000 doomed
wait $spid
expect 5 "call whose server dies holding it: exit 5, and says it was taken" "was taken"
m serve "$p.svc"
expect 2 "serve without a COMMAND: exit 2" "no COMMAND"
# One-way messages are served, their output discarded; shutdown ends serve.
m send "$p.svc" ping
"$MBOXCTL" shutdown "$p.svc"
m serve "$p.svc" -- cat
[ "$rc" -eq 0 ] && [ ! -s "$out" ]; result $? "serve: one-way messages, then exit 0 at shutdown"
"$MBOXCTL" rm -f "$p.svc"

# --- rm ---------------------------------------------------------------------------
m rm "$p.q"
expect 0 "rm"
m rm "$p.q"
expect 1 "rm of a missing name: exit 1, ENOENT" "rm '$p.q': No such file or directory"
m rm -f "$p.q"
expect 0 "rm -f of a missing name: exit 0"
m send "$p.q" x
expect 1 "send to a missing mailbox: exit 1, ENOENT" "open '$p.q': No such file or directory"
m stat "$p.q"
expect 1 "stat of a missing mailbox: exit 1, ENOENT" "No such file or directory"
m ls
! grep -q "^$p.q " "$out"; result $? "ls no longer lists a removed mailbox"

# --- permissions as another user --------------------------------------------------
user=$(awk -F: '$3 == 1000 && $4 == 1000 { print $1; exit }' /etc/passwd)
if [ "$(id -u)" -eq 0 ] && [ -n "$user" ] && command -v su >/dev/null 2>&1; then
	# The arguments have no spaces or quotes.
	as_user() { run su -s /bin/sh -c "$MBOXCTL $*" "$user"; }
	m create "$p.perm" --mode 0600
	m create "$p.perm2" --mode 0622
	as_user send "$p.perm" x
	expect 1 "send without write permission: exit 1, EACCES" "open '$p.perm': Permission denied"
	as_user recv "$p.perm" -t 0
	expect 1 "recv without read permission: exit 1, EACCES" "Permission denied"
	as_user stat "$p.perm"
	[ "$rc" -eq 0 ] && has "^mode: *0600 " && has "^owner: .*(0)$"
	result $? "stat without access falls back to /proc/driver/mbox"
	as_user rm "$p.perm"
	expect 1 "rm by someone other than the owner: exit 1, EACCES" "rm '$p.perm': Permission denied"
	as_user send "$p.perm2" fromuser
	expect 0 "send with write permission (mode 0622)"
	as_user recv "$p.perm2" -t 0
	expect 1 "recv with only write permission: exit 1, EACCES" "Permission denied"
	m recv "$p.perm2" -v
	[ "$rc" -eq 0 ] && has "uid=1000 gid=1000 len=8$"; result $? "the receiver sees the other user's uid and gid"
	as_user info
	[ "$rc" -eq 0 ] && has "^user_unlimited: *no$"; result $? "info as a user: limited"
	# A per-user limit of one mailbox: the second create names the limit.
	lim=$(cat /sys/module/mbox/parameters/max_user_mailboxes)
	echo 1 >/sys/module/mbox/parameters/max_user_mailboxes
	as_user create "$p.q1"
	as_user create "$p.q2"
	echo "$lim" >/sys/module/mbox/parameters/max_user_mailboxes
	expect 1 "create past max_user_mailboxes: exit 1, names the limit" "per-user limit reached"
	as_user rm "$p.q1"
	# A container: uid 1000 as root of its own user, IPC and mount
	# namespaces. Its names and listing are its own, both ways.
	if command -v unshare >/dev/null 2>&1; then
		m create "$p.host"
		run su -s /bin/sh -c "unshare -U -r -i -m -f sh -c '$MBOXCTL create $p.host && $MBOXCTL create $p.inner && $MBOXCTL ls && $MBOXCTL info'" "$user"
		[ "$rc" -eq 0 ] && has "^$p.inner " && has "^$p.host " && has "^mailboxes: *2$" &&
			[ "$(grep -c "^$p\." "$out")" -eq 2 ]
		result $? "a container (unshare -U -r -i) has names, a listing and a count of its own"
		m ls
		! grep -q "^$p.inner " "$out" && [ "$(grep -c "^$p.host " "$out")" -eq 1 ]
		result $? "the host sees none of the container's names"
		m rm "$p.host"
	else
		n=$((n + 1)); echo "ok $n a container has names of its own # SKIP no unshare"
		n=$((n + 1)); echo "ok $n the host sees none of the container's names # SKIP no unshare"
	fi
else
	for d in "send without write permission" "recv without read permission" \
		 "stat without access" "rm by someone other than the owner" \
		 "send with write permission" "recv with only write permission" \
		 "the receiver sees the other user's uid" "info as a user" \
		 "create past max_user_mailboxes" "a container has names of its own" \
		 "the host sees none of the container's names"; do
		n=$((n + 1))
		echo "ok $n $d # SKIP needs root, su and a user with uid and gid 1000"
	done
fi

echo "1..$n"
[ "$failed" -eq 0 ] && exit $KSFT_PASS
exit $KSFT_FAIL
