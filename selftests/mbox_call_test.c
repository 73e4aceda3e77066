// SPDX-License-Identifier: GPL-2.0
/*
 * Request/reply: MBOXIO_CALL, MBOXIO_REPLY and MBOXIO_REPLY_RECV.
 *
 * Every outcome a caller can see, and what it says about whether its
 * request was taken (seq): answered, EPIPE, ETIMEDOUT and EINTR before and
 * after a receiver took the request, ECONNRESET when the taker closes or
 * dies or cannot learn the handle, a restart after SA_RESTART that neither
 * fails nor sends twice; every error a replier can get (ENOENT, ESRCH,
 * EMSGSIZE); handles bound to one open file description. Interleavings
 * are forced with handshakes and by waiting until a task sleeps, never by
 * sleeping and hoping.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "mbox_helpers.h"
#include "mbox_hold.h"

MBOX_FIXTURE(call);

/* MBOXIO_CALL: the reply's length or -errno; @out gets the struct. */
static int do_call(int fd, const char *req, void *reply, uint32_t size,
		   uint32_t flags, uint64_t deadline_ns, struct mboxio_call *out)
{
	struct mboxio_call c = {
		.buf = (uintptr_t)req,
		.len = req ? strlen(req) : 0,
		.flags = flags,
		.deadline_ns = deadline_ns,
		.reply_buf = (uintptr_t)reply,
		.reply_size = size,
	};
	int ret = mbox_ioctl(fd, MBOXIO_CALL, &c);

	if (out)
		*out = c;
	return ret;
}

/* Give up an interrupted call: 0 or -errno; @seq gets its number. */
static int cancel_call(int fd, uint64_t token, uint64_t *seq)
{
	struct mboxio_call c = { .flags = MBOX_CALL_CANCEL, .token = token };
	int ret = mbox_ioctl(fd, MBOXIO_CALL, &c);

	if (seq)
		*seq = c.seq;
	return ret;
}

static int do_reply(int fd, uint64_t id, const char *msg)
{
	struct mboxio_reply r = {
		.reply_id = id,
		.buf = (uintptr_t)msg,
		.len = strlen(msg),
	};

	return mbox_ioctl(fd, MBOXIO_REPLY, &r);
}

/* Receive one message into @buf (NUL-terminated); its reply handle. */
static uint64_t take(int fd, char *buf, uint32_t size, struct mboxio_recv *out)
{
	struct mboxio_recv r;
	int n = mbox_recv(fd, buf, size - 1, 0, 0, &r);

	if (n < 0)
		return 0;
	buf[n] = 0;
	if (out)
		*out = r;
	return r.reply_id;
}

/*
 * Fork a server that answers @n requests on @fd with "re:<request>",
 * replying and receiving in one call after the first.
 */
static pid_t fork_echo_server(int fd, int n)
{
	pid_t pid = mbox_fork();

	if (pid == 0) {
		char buf[128], out[160];
		struct mboxio_reply_recv rr = {
			.recv = { .buf = (uintptr_t)buf, .size = sizeof(buf) - 1 },
		};
		int i, len;

		for (i = 0; i < n; i++) {
			len = mbox_ioctl(fd, MBOXIO_REPLY_RECV, &rr);
			CHILD_CHECK(len >= 0 && rr.recv.reply_id);
			buf[len] = 0;
			snprintf(out, sizeof(out), "re:%s", buf);
			rr.reply.reply_id = rr.recv.reply_id;
			rr.reply.buf = (uintptr_t)out;
			rr.reply.len = strlen(out);
		}
		CHILD_CHECK(do_reply(fd, rr.reply.reply_id, out) == 0);
		_exit(0);
	}
	return pid;
}

/* A forked caller: exits 0 once @req got @want back, else 1. */
static pid_t fork_caller(int fd, const char *req, const char *want)
{
	pid_t pid = mbox_fork();

	if (pid == 0) {
		char reply[128] = "";
		int n = do_call(fd, req, reply, sizeof(reply) - 1, 0, 0, NULL);

		CHILD_CHECK(n == (int)strlen(want));
		reply[n] = 0;
		CHILD_CHECK(strcmp(reply, want) == 0);
		_exit(0);
	}
	return pid;
}

static void check_round_trip(struct __test_metadata *_metadata, int dev,
			     uint32_t capacity)
{
	struct mboxio_call c;
	char reply[64];
	pid_t srv;
	int fd, n;

	fd = mbox_create(dev, NULL, MBOX_FD_RDWR, 0600, capacity, 64);
	ASSERT_LE(0, fd);
	srv = fork_echo_server(fd, 1);
	ASSERT_LT(0, srv);
	memset(reply, 0, sizeof(reply));
	n = do_call(fd, "ping", reply, sizeof(reply), 0, 0, &c);
	ASSERT_EQ(7, n);
	EXPECT_EQ(0, memcmp(reply, "re:ping", 7));
	EXPECT_EQ(7U, c.reply_len);
	EXPECT_EQ(srv, c.pid);		/* who answered */
	EXPECT_EQ(getuid(), c.uid);
	EXPECT_EQ(getgid(), c.gid);
	EXPECT_EQ(1U, c.seq);		/* the request's delivery number */
	EXPECT_EQ(0U, c.token);
	EXPECT_EQ(0, mbox_reap(srv));
	close(fd);
}

TEST_F(call, round_trip_bounded)
{
	MBOX_SKIP_GUARD();
	check_round_trip(_metadata, self->dev, 4);
}

TEST_F(call, round_trip_rendezvous)
{
	MBOX_SKIP_GUARD();
	check_round_trip(_metadata, self->dev, 0);
}

/* Calls and one-way messages share one FIFO order; only calls have handles. */
TEST_F(call, mixed_with_messages_in_order)
{
	char buf[64], reply[64];
	struct mboxio_recv r;
	struct mboxio_stat st;
	uint64_t id;
	pid_t caller;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 64);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "one"));
	caller = mbox_fork();
	ASSERT_LE(0, caller);
	if (caller == 0) {
		CHILD_CHECK(do_call(fd, "two", reply, sizeof(reply), 0, 0,
				    NULL) == 2);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(queued), 2));
	ASSERT_EQ(0, mbox_send_str(fd, "three"));

	EXPECT_EQ(0U, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("one", buf);
	EXPECT_EQ(1U, r.seq);
	id = take(fd, buf, sizeof(buf), &r);
	EXPECT_NE(0U, id);
	EXPECT_STREQ("two", buf);
	EXPECT_EQ(caller, r.pid);
	EXPECT_EQ(0U, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("three", buf);
	EXPECT_EQ(0, do_reply(fd, id, "ok"));
	EXPECT_EQ(0, mbox_reap(caller));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(3U, st.sent);
	EXPECT_EQ(3U, st.received);
	close(fd);
}

/* A server loop of reply-and-receive answers each caller its own reply. */
TEST_F(call, reply_recv_serves_many_callers)
{
	pid_t callers[6], srv;
	char req[16], want[32];
	int fd, i;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 64);
	ASSERT_LE(0, fd);
	srv = fork_echo_server(fd, 6);
	ASSERT_LT(0, srv);
	for (i = 0; i < 6; i++) {
		snprintf(req, sizeof(req), "c%d", i);
		snprintf(want, sizeof(want), "re:c%d", i);
		callers[i] = fork_caller(fd, req, want);
		ASSERT_LT(0, callers[i]);
	}
	for (i = 0; i < 6; i++)
		EXPECT_EQ(0, mbox_reap(callers[i])) TH_LOG("caller %d", i);
	EXPECT_EQ(0, mbox_reap(srv));
	close(fd);
}

/* Handles are nonzero, distinct, and answer only once. */
TEST_F(call, handles_answer_once)
{
	char buf[64];
	uint64_t a, b;
	pid_t c1, c2;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 64);
	ASSERT_LE(0, fd);
	c1 = fork_caller(fd, "a", "A");
	ASSERT_LT(0, c1);
	a = take(fd, buf, sizeof(buf), NULL);
	c2 = fork_caller(fd, "b", "B");
	ASSERT_LT(0, c2);
	b = take(fd, buf, sizeof(buf), NULL);
	ASSERT_NE(0U, a);
	ASSERT_NE(0U, b);
	EXPECT_NE(a, b);
	/* Any order. */
	EXPECT_EQ(0, do_reply(fd, b, "B"));
	EXPECT_EQ(0, do_reply(fd, a, "A"));
	EXPECT_EQ(-ENOENT, do_reply(fd, a, "A"));
	EXPECT_EQ(-ENOENT, do_reply(fd, 0, "x"));
	EXPECT_EQ(-ENOENT, do_reply(fd, b + 1000, "x"));
	EXPECT_EQ(0, mbox_reap(c1));
	EXPECT_EQ(0, mbox_reap(c2));
	close(fd);
}

/*
 * A handle is valid on the open file description that received it: a dup
 * or a forked child shares it, another open of the same mailbox does not.
 */
TEST_F(call, handle_bound_to_open_file_description)
{
	const char *name = mbox_new_name("callofd");
	int fd, other, dup_fd, n;
	char buf[64];
	pid_t caller, helper;
	uint64_t id;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 4, 64);
	ASSERT_LE(0, fd);
	other = mbox_open(self->dev, name, MBOX_FD_RDWR);
	ASSERT_LE(0, other);
	caller = fork_caller(fd, "q", "from child");
	ASSERT_LT(0, caller);
	id = take(fd, buf, sizeof(buf), NULL);
	ASSERT_NE(0U, id);
	EXPECT_EQ(-ENOENT, do_reply(other, id, "x"));
	dup_fd = dup(fd);
	ASSERT_LE(0, dup_fd);
	close(fd);
	/* The description lives on through the dup; a child replies. */
	helper = mbox_fork();
	ASSERT_LE(0, helper);
	if (helper == 0) {
		n = do_reply(dup_fd, id, "from child");
		_exit(n == 0 ? 0 : 1);
	}
	EXPECT_EQ(0, mbox_reap(helper));
	EXPECT_EQ(0, mbox_reap(caller));
	EXPECT_EQ(-ENOENT, do_reply(dup_fd, id, "again"));
	close(dup_fd);
	close(other);
}

/* A reply too long for the caller fails; the handle stays for a shorter one. */
TEST_F(call, reply_too_long_emsgsize_then_shorter)
{
	char buf[64], big[66];
	struct mboxio_reply_recv rr;
	uint64_t id;
	pid_t caller;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 64);
	ASSERT_LE(0, fd);
	caller = mbox_fork();
	ASSERT_LE(0, caller);
	if (caller == 0) {
		char reply[4];
		struct mboxio_call c;

		CHILD_CHECK(do_call(fd, "q", reply, sizeof(reply), 0, 0, &c) == 3);
		CHILD_CHECK(memcmp(reply, "abc", 3) == 0 && c.reply_len == 3);
		_exit(0);
	}
	id = take(fd, buf, sizeof(buf), NULL);
	ASSERT_NE(0U, id);
	EXPECT_EQ(-EMSGSIZE, do_reply(fd, id, "abcde"));
	/* Longer than the mailbox's msg_size: refused before the lookup. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	EXPECT_EQ(-EMSGSIZE, do_reply(fd, id, big));
	/* Reply-and-receive whose reply fails: receives nothing, len kept. */
	ASSERT_EQ(0, mbox_send_str(fd, "later"));
	memset(&rr, 0, sizeof(rr));
	rr.recv.buf = (uintptr_t)buf;
	rr.recv.size = sizeof(buf);
	rr.reply.reply_id = id;
	rr.reply.buf = (uintptr_t)"abcde";
	rr.reply.len = 5;
	EXPECT_EQ(-EMSGSIZE, mbox_ioctl(fd, MBOXIO_REPLY_RECV, &rr));
	EXPECT_EQ(0U, rr.recv.len);
	rr.reply.len = 3;
	EXPECT_EQ(5, mbox_ioctl(fd, MBOXIO_REPLY_RECV, &rr));
	EXPECT_EQ(0, memcmp(buf, "later", 5));
	EXPECT_EQ(0U, rr.recv.reply_id);
	/* Once delivered, the reply half comes back zeroed. */
	EXPECT_EQ(0U, rr.reply.reply_id);
	EXPECT_EQ(0U, rr.reply.buf);
	EXPECT_EQ(0U, rr.reply.len);
	/* Reply half without a handle, or with flags: EINVAL, nothing done. */
	rr.reply.buf = (uintptr_t)"abc";
	rr.reply.len = 3;
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_REPLY_RECV, &rr));
	rr.reply.reply_id = id;
	rr.reply.flags = 1;
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_REPLY_RECV, &rr));
	EXPECT_EQ(0, mbox_reap(caller));
	close(fd);
}

/* EPIPE: shut down before any receiver took the request; nothing delivered. */
TEST_F(call, shutdown_before_taken_epipe)
{
	struct mboxio_call c;
	char reply[8];
	pid_t caller;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 64);
	ASSERT_LE(0, fd);
	/* Rendezvous: the caller offers, the shutdown refuses it. */
	caller = mbox_fork();
	ASSERT_LE(0, caller);
	if (caller == 0) {
		c.seq = 99;
		CHILD_CHECK(do_call(fd, "q", reply, sizeof(reply), 0, 0, &c) ==
			    -EPIPE);
		CHILD_CHECK(c.seq == 0);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));
	ASSERT_EQ(0, mbox_shutdown(fd));
	EXPECT_EQ(0, mbox_reap(caller));
	/* And a call after the shutdown. */
	EXPECT_EQ(-EPIPE, do_call(fd, "q", reply, sizeof(reply), 0, 0, &c));
	EXPECT_EQ(0U, c.seq);
	close(fd);
}

/* Shutdown stops new requests, not replies to those already taken. */
TEST_F(call, shutdown_after_taken_reply_arrives)
{
	char buf[64];
	uint64_t id;
	pid_t caller;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 64);
	ASSERT_LE(0, fd);
	caller = fork_caller(fd, "q", "still");
	ASSERT_LT(0, caller);
	id = take(fd, buf, sizeof(buf), NULL);
	ASSERT_NE(0U, id);
	ASSERT_EQ(0, mbox_shutdown(fd));
	EXPECT_EQ(0, do_reply(fd, id, "still"));
	EXPECT_EQ(0, mbox_reap(caller));
	close(fd);
}

/* ETIMEDOUT before a receiver took it: withdrawn, nothing delivered. */
TEST_F(call, timeout_before_taken_withdraws)
{
	struct mboxio_stat st;
	struct mboxio_call c;
	char reply[8], buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 64);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-ETIMEDOUT, do_call(fd, "q", reply, sizeof(reply),
				      MBOX_MSG_DEADLINE, now_ns() + MS(30), &c));
	EXPECT_EQ(0U, c.seq);
	EXPECT_EQ(0U, c.token);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.queued);
	EXPECT_EQ(0U, st.sent);
	EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT,
				     0, NULL));
	/* A deadline already past never waits, and sends nothing. */
	EXPECT_EQ(-ETIMEDOUT, do_call(fd, "q", reply, sizeof(reply),
				      MBOX_MSG_DEADLINE, 1, &c));
	EXPECT_EQ(0U, c.seq);
	/* DONTWAIT applies to sending only: a full mailbox is EAGAIN. */
	ASSERT_EQ(0, mbox_send_str(fd, "x"));
	ASSERT_EQ(0, mbox_send_str(fd, "y"));
	EXPECT_EQ(-EAGAIN, do_call(fd, "q", reply, sizeof(reply),
				   MBOX_MSG_DONTWAIT, 0, &c));
	EXPECT_EQ(0U, c.seq);
	close(fd);
}

/* ETIMEDOUT after a receiver took it: seq says so; the reply gets ESRCH. */
TEST_F(call, timeout_after_taken_esrch)
{
	char buf[64];
	uint64_t id;
	pid_t caller;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 64);
	ASSERT_LE(0, fd);
	caller = mbox_fork();
	ASSERT_LE(0, caller);
	if (caller == 0) {
		struct mboxio_call c;
		char reply[8];
		int ret;

		CHILD_CHECK(sync_wait(self->sv[1]) == 'g');
		ret = do_call(fd, "q", reply, sizeof(reply), MBOX_MSG_DEADLINE,
			      now_ns() + MS(200), &c);
		CHILD_CHECK(ret == -ETIMEDOUT);
		CHILD_CHECK(c.seq == 1);
		CHILD_CHECK(sync_post(self->sv[1], 'd') == 0);
		_exit(0);
	}
	ASSERT_EQ(0, sync_post(self->sv[0], 'g'));
	id = take(fd, buf, sizeof(buf), NULL);
	ASSERT_NE(0U, id);
	ASSERT_EQ('d', sync_wait(self->sv[0]));
	EXPECT_EQ(-ESRCH, do_reply(fd, id, "late"));
	EXPECT_EQ(-ENOENT, do_reply(fd, id, "late"));
	EXPECT_EQ(0, mbox_reap(caller));
	close(fd);
}

/* The taker closes its file without replying: ECONNRESET at once. */
TEST_F(call, server_close_econnreset)
{
	const char *name = mbox_new_name("callreset");
	struct mboxio_call c;
	char reply[8];
	pid_t srv;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_SEND, 0600, 2, 64);
	ASSERT_LE(0, fd);
	srv = mbox_fork();
	ASSERT_LE(0, srv);
	if (srv == 0) {
		char buf[64];
		int s = mbox_open(self->dev, name, MBOX_FD_RECV);

		CHILD_CHECK(s >= 0);
		CHILD_CHECK(take(s, buf, sizeof(buf), NULL) != 0);
		close(s);	/* with the request in hand */
		CHILD_CHECK(sync_wait(self->sv[1]) == 'x');
		_exit(0);
	}
	EXPECT_EQ(-ECONNRESET, do_call(fd, "q", reply, sizeof(reply), 0, 0, &c));
	EXPECT_EQ(1U, c.seq);
	ASSERT_EQ(0, sync_post(self->sv[0], 'x'));
	EXPECT_EQ(0, mbox_reap(srv));
	close(fd);
}

/*
 * The taker is killed with the request in hand: its open file description
 * (its own open of the mailbox) is released, and the caller is reset.
 */
TEST_F(call, server_killed_econnreset)
{
	const char *name = mbox_new_name("callkill");
	struct mboxio_call c;
	char reply[8];
	pid_t srv, killer;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_SEND, 0600, 2, 64);
	ASSERT_LE(0, fd);
	srv = mbox_fork();
	ASSERT_LE(0, srv);
	if (srv == 0) {
		char buf[64];
		int s = mbox_open(self->dev, name, MBOX_FD_RECV);

		CHILD_CHECK(s >= 0);
		CHILD_CHECK(take(s, buf, sizeof(buf), NULL) != 0);
		CHILD_CHECK(sync_post(self->sv[1], 't') == 0);
		pause();
		_exit(0);
	}
	killer = mbox_fork();
	ASSERT_LE(0, killer);
	if (killer == 0) {
		CHILD_CHECK(sync_wait(self->sv[0]) == 't');
		kill(srv, SIGKILL);
		_exit(0);
	}
	EXPECT_EQ(-ECONNRESET, do_call(fd, "q", reply, sizeof(reply), 0, 0, &c));
	EXPECT_EQ(1U, c.seq);
	EXPECT_EQ(0, mbox_reap(killer));
	EXPECT_EQ(1000 + SIGKILL, mbox_reap(srv));
	close(fd);
}

/* The caller is killed while its request is taken: the reply gets ESRCH. */
TEST_F(call, caller_killed_esrch)
{
	char buf[64];
	uint64_t id;
	pid_t caller;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 64);
	ASSERT_LE(0, fd);
	caller = mbox_fork();
	ASSERT_LE(0, caller);
	if (caller == 0) {
		char reply[8];

		do_call(fd, "q", reply, sizeof(reply), 0, 0, NULL);
		_exit(1);
	}
	id = take(fd, buf, sizeof(buf), NULL);
	ASSERT_NE(0U, id);
	ASSERT_EQ(0, mbox_wait_sleeping(caller));
	kill(caller, SIGKILL);
	EXPECT_EQ(1000 + SIGKILL, mbox_reap(caller));
	EXPECT_EQ(-ESRCH, do_reply(fd, id, "nobody"));
	close(fd);
}

/*
 * read(2) has no way to report a handle: it takes the request as a plain
 * message and the caller fails at once. So does a receive struct too old
 * to have reply_id, and a batch element of the first version's size.
 */
TEST_F(call, receiver_without_handle_econnreset)
{
	static const unsigned int sizes[] = { 0, 48, 40 };	/* v1 sizes */
	struct mboxio_recvmsg v;
	char buf[64], reply[8];
	unsigned int i;
	pid_t caller;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 64);
	ASSERT_LE(0, fd);
	for (i = 0; i < 3; i++) {
		caller = mbox_fork();
		ASSERT_LE(0, caller);
		if (caller == 0) {
			struct mboxio_call c;

			CHILD_CHECK(do_call(fd, "req", reply, sizeof(reply), 0,
					    0, &c) == -ECONNRESET);
			CHILD_CHECK(c.seq == i + 1);
			_exit(0);
		}
		ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(queued), 1));
		if (i == 0) {
			EXPECT_EQ(3, read(fd, buf, sizeof(buf)));
		} else if (i == 1) {
			struct mboxio_recv r = { .buf = (uintptr_t)buf,
						 .size = sizeof(buf) };

			EXPECT_EQ(3, mbox_ioctl(fd, _IOC(_IOC_READ | _IOC_WRITE,
							 MBOX_IOCTL_TYPE, 0x11,
							 sizes[i]), &r));
		} else {
			memset(&v, 0, sizeof(v));
			v.buf = (uintptr_t)buf;
			v.size = sizeof(buf);
			EXPECT_EQ(1, mbox_recvv(fd, &v, 1, 0, 0));
			EXPECT_EQ(3U, v.len);
		}
		EXPECT_EQ(0, mbox_reap(caller)) TH_LOG("receiver %u", i);
	}
	close(fd);
}

/* With elem_size 48 a batch receive reports the handle. */
TEST_F(call, recvv_reports_reply_id)
{
	struct mboxio_recvmsg_v2 v[2];
	struct mboxio_batch b;
	char bufs[2][16];
	pid_t caller;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "plain"));
	caller = fork_caller(fd, "ask", "ans");
	ASSERT_LT(0, caller);
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(queued), 2));
	memset(v, 0, sizeof(v));
	v[0].msg.buf = (uintptr_t)bufs[0];
	v[0].msg.size = sizeof(bufs[0]);
	v[1].msg.buf = (uintptr_t)bufs[1];
	v[1].msg.size = sizeof(bufs[1]);
	memset(&b, 0, sizeof(b));
	b.vec = (uintptr_t)v;
	b.count = 2;
	b.elem_size = sizeof(v[0]);
	ASSERT_EQ(2, mbox_ioctl(fd, MBOXIO_RECVV, &b));
	EXPECT_EQ(0U, v[0].reply_id);
	EXPECT_NE(0U, v[1].reply_id);
	EXPECT_EQ(0, do_reply(fd, v[1].reply_id, "ans"));
	EXPECT_EQ(0, mbox_reap(caller));
	/* An element size below the first version's is EINVAL. */
	b.elem_size = 39;
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_RECVV, &b));
	close(fd);
}

static volatile sig_atomic_t alarms;
static int alarm_fd = -1;	/* if set, each signal is posted here */

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
	if (alarm_fd >= 0)
		sync_post(alarm_fd, 's');
}

static void set_alarm_handler(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = flags;
	sigaction(SIGUSR1, &sa, NULL);
}

/*
 * EINTR (handler without SA_RESTART): the call comes back with a token;
 * cancelling it tells whether the request was taken. Before: withdrawn,
 * seq 0, nothing left to receive. After: seq 1, and the reply gets ESRCH.
 */
TEST_F(call, eintr_then_cancel)
{
	int fd, taken;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 64);
	ASSERT_LE(0, fd);
	for (taken = 0; taken < 2; taken++) {
		char buf[64];
		uint64_t id = 0;
		pid_t caller = mbox_fork();

		ASSERT_LE(0, caller);
		if (caller == 0) {
			struct mboxio_call c;
			uint64_t seq = 99;
			char reply[8];

			set_alarm_handler(0);
			CHILD_CHECK(do_call(fd, "q", reply, sizeof(reply), 0, 0,
					    &c) == -EINTR);
			CHILD_CHECK(alarms == 1 && c.token != 0);
			CHILD_CHECK(cancel_call(fd, c.token, &seq) == 0);
			CHILD_CHECK(seq == (uint64_t)taken);
			/* Used up. */
			CHILD_CHECK(cancel_call(fd, c.token, NULL) == -ENOENT);
			CHILD_CHECK(sync_post(self->sv[1], 'c') == 0);
			_exit(0);
		}
		ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(queued), 1));
		if (taken) {
			id = take(fd, buf, sizeof(buf), NULL);
			ASSERT_NE(0U, id);
		}
		ASSERT_EQ(0, mbox_wait_sleeping(caller));
		kill(caller, SIGUSR1);
		ASSERT_EQ('c', sync_wait(self->sv[0]));
		if (taken) {
			EXPECT_EQ(-ESRCH, do_reply(fd, id, "late"));
		} else {
			EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, sizeof(buf),
						     MBOX_MSG_DONTWAIT, 0, NULL));
		}
		EXPECT_EQ(0, mbox_reap(caller));
	}
	close(fd);
}

/*
 * SA_RESTART: a signal before and one after the request was taken; the
 * call neither fails nor sends its request twice.
 */
TEST_F(call, sa_restart_resumes_without_resending)
{
	struct mboxio_stat st;
	char buf[64];
	uint64_t id;
	pid_t caller;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 64);
	ASSERT_LE(0, fd);
	caller = mbox_fork();
	ASSERT_LE(0, caller);
	if (caller == 0) {
		struct mboxio_call c;
		char reply[8];

		alarm_fd = self->sv[1];
		set_alarm_handler(SA_RESTART);
		CHILD_CHECK(do_call(fd, "q", reply, sizeof(reply), 0, 0, &c) == 2);
		CHILD_CHECK(alarms == 2 && c.seq == 1 && c.token == 0);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(queued), 1));
	ASSERT_EQ(0, mbox_wait_sleeping(caller));
	kill(caller, SIGUSR1);			/* queued, not taken */
	ASSERT_EQ('s', sync_wait(self->sv[0]));
	/* Back asleep in the restarted call, the request still queued once. */
	ASSERT_EQ(0, mbox_wait_sleeping(caller));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(1U, st.queued);
	EXPECT_EQ(1U, st.sent);
	id = take(fd, buf, sizeof(buf), NULL);
	ASSERT_NE(0U, id);
	kill(caller, SIGUSR1);			/* taken, not answered */
	ASSERT_EQ('s', sync_wait(self->sv[0]));
	ASSERT_EQ(0, mbox_wait_sleeping(caller));
	EXPECT_EQ(0, do_reply(fd, id, "ok"));
	EXPECT_EQ(0, mbox_reap(caller));
	EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT,
				     0, NULL));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(1U, st.sent);
	close(fd);
}

struct token_arg {
	int fd;
	uint64_t token;
	int ret;
};

static void *cancel_from_thread(void *p)
{
	struct token_arg *t = p;

	t->ret = cancel_call(t->fd, t->token, NULL);
	return NULL;
}

/* A token works only for its thread, on its open file description. */
TEST_F(call, token_checks)
{
	const char *name = mbox_new_name("calltok");
	struct mboxio_call c;
	struct token_arg t;
	char reply[8];
	pthread_t th;
	int fd, other;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 2, 64);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-ENOENT, cancel_call(fd, 12345, NULL));
	/* CANCEL needs a token; unknown flags and __pad are EINVAL. */
	memset(&c, 0, sizeof(c));
	c.flags = MBOX_CALL_CANCEL;
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_CALL, &c));
	c.flags = 0x200;
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_CALL, &c));
	c.flags = 0;
	c.__pad = 1;
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_CALL, &c));

	/* Park a call of ours: interrupted, no SA_RESTART. */
	set_alarm_handler(0);
	{
		pid_t self_pid = getpid();
		pid_t kicker = mbox_fork();

		ASSERT_LE(0, kicker);
		if (kicker == 0) {
			CHILD_CHECK(mbox_wait_sleeping(self_pid) == 0);
			kill(self_pid, SIGUSR1);
			_exit(0);
		}
		EXPECT_EQ(-EINTR, do_call(fd, "q", reply, sizeof(reply), 0, 0, &c));
		EXPECT_EQ(0, mbox_reap(kicker));
	}
	ASSERT_NE(0U, c.token);
	/* Another thread of the same process may not touch it. */
	t.fd = fd;
	t.token = c.token;
	ASSERT_EQ(0, pthread_create(&th, NULL, cancel_from_thread, &t));
	pthread_join(th, NULL);
	EXPECT_EQ(-ENOENT, t.ret);
	/* Nor another open file description of the mailbox... */
	other = mbox_open(self->dev, name, MBOX_FD_RDWR);
	ASSERT_LE(0, other);
	EXPECT_EQ(-ENOENT, cancel_call(other, c.token, NULL));
	close(other);
	/* ...but a dup is the same description. */
	other = dup(fd);
	ASSERT_LE(0, other);
	EXPECT_EQ(0, cancel_call(other, c.token, NULL));
	close(other);
	signal(SIGUSR1, SIG_DFL);
	close(fd);
}

/* Directions: a call needs send access, a reply receive access. */
TEST_F(call, access_ebadf)
{
	const char *name = mbox_new_name("callacc");
	struct mboxio_reply r = { .reply_id = 1 };
	char reply[8];
	int fd, ro, wo;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 2, 64);
	ASSERT_LE(0, fd);
	ro = mbox_open(self->dev, name, MBOX_FD_RECV);
	wo = mbox_open(self->dev, name, MBOX_FD_SEND);
	ASSERT_LE(0, ro);
	ASSERT_LE(0, wo);
	EXPECT_EQ(-EBADF, do_call(ro, "q", reply, sizeof(reply), 0, 0, NULL));
	EXPECT_EQ(-EBADF, mbox_ioctl(wo, MBOXIO_REPLY, &r));
	r.flags = 1;
	EXPECT_EQ(-EINVAL, mbox_ioctl(ro, MBOXIO_REPLY, &r));
	close(ro);
	close(wo);
	close(fd);
}

/* Closing the caller's file gives up its parked calls: ESRCH for the reply. */
TEST_F(call, caller_close_gives_up_parked)
{
	const char *name = mbox_new_name("callpark");
	char buf[64];
	uint64_t id;
	pid_t caller;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 2, 64);
	ASSERT_LE(0, fd);
	caller = mbox_fork();
	ASSERT_LE(0, caller);
	if (caller == 0) {
		struct mboxio_call c;
		char reply[8];
		int cfd = mbox_open(self->dev, name, MBOX_FD_SEND);

		CHILD_CHECK(cfd >= 0);
		set_alarm_handler(0);
		CHILD_CHECK(sync_post(self->sv[1], 'o') == 0);
		CHILD_CHECK(do_call(cfd, "q", reply, sizeof(reply), 0, 0, &c) ==
			    -EINTR);
		close(cfd);	/* no cancel: the close gives it up */
		CHILD_CHECK(sync_post(self->sv[1], 'c') == 0);
		_exit(0);
	}
	ASSERT_EQ('o', sync_wait(self->sv[0]));
	id = take(fd, buf, sizeof(buf), NULL);
	ASSERT_NE(0U, id);
	ASSERT_EQ(0, mbox_wait_sleeping(caller));
	kill(caller, SIGUSR1);
	ASSERT_EQ('c', sync_wait(self->sv[0]));
	EXPECT_EQ(-ESRCH, do_reply(fd, id, "late"));
	EXPECT_EQ(0, mbox_reap(caller));
	close(fd);
}

/*
 * A reply-and-receive whose reply went through and whose receive is then
 * restarted (SA_RESTART) only receives: it does not answer again and fail
 * with ENOENT.
 */
TEST_F(call, reply_recv_restart_only_receives)
{
	char buf[64];
	uint64_t id;
	pid_t caller, srv;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 64);
	ASSERT_LE(0, fd);
	caller = fork_caller(fd, "q", "a");
	ASSERT_LT(0, caller);
	id = take(fd, buf, sizeof(buf), NULL);
	ASSERT_NE(0U, id);
	srv = mbox_fork();
	ASSERT_LE(0, srv);
	if (srv == 0) {
		struct mboxio_reply_recv rr = {
			.reply = { .reply_id = id, .buf = (uintptr_t)"a",
				   .len = 1 },
			.recv = { .buf = (uintptr_t)buf, .size = sizeof(buf) },
		};
		int n;

		alarm_fd = self->sv[1];
		set_alarm_handler(SA_RESTART);
		n = mbox_ioctl(fd, MBOXIO_REPLY_RECV, &rr);
		CHILD_CHECK(n == 4 && memcmp(buf, "next", 4) == 0);
		CHILD_CHECK(rr.reply.reply_id == 0 && alarms == 1);
		_exit(0);
	}
	EXPECT_EQ(0, mbox_reap(caller));	/* answered */
	ASSERT_EQ(0, mbox_wait_sleeping(srv));	/* now receiving */
	kill(srv, SIGUSR1);
	ASSERT_EQ('s', sync_wait(self->sv[0]));
	ASSERT_EQ(0, mbox_wait_sleeping(srv));	/* receiving again */
	ASSERT_EQ(0, mbox_send_str(fd, "next"));
	EXPECT_EQ(0, mbox_reap(srv));
	close(fd);
}

/*
 * A read(2) whose copy faults takes nothing: the request goes back still
 * a request, and its caller is not reset; a receiver that can answer gets
 * it with a handle.
 */
TEST_F(call, faulting_read_does_not_reset_the_caller)
{
	char buf[64];
	uint64_t id;
	pid_t caller;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 64);
	ASSERT_LE(0, fd);
	caller = fork_caller(fd, "q", "fine");
	ASSERT_LT(0, caller);
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(queued), 1));
	EXPECT_EQ(-1, read(fd, mbox_bad_ptr(), 64));
	EXPECT_EQ(EFAULT, errno);
	id = take(fd, buf, sizeof(buf), NULL);
	ASSERT_NE(0U, id);
	EXPECT_EQ(0, do_reply(fd, id, "fine"));
	EXPECT_EQ(0, mbox_reap(caller));
	close(fd);
}

/*
 * The caller gives up while a receiver, held in its copy-out, has claimed
 * the request; the copy then faults. The caller was told the request was
 * taken (seq 1), so it must not go back to the queue for another receiver.
 */
TEST_F(call, abandoned_request_not_put_back)
{
	struct mbox_bg_recv r;
	struct mbox_hold h;
	struct mboxio_stat st;
	char buf[64];
	pid_t caller;
	int fd, err;

	MBOX_SKIP_GUARD();
	err = hold_setup(&h, 64);
	if (err)
		SKIP(return, "no userfaultfd: %s", strerror(-err));
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 64);
	ASSERT_LE(0, fd);
	caller = mbox_fork();
	ASSERT_LE(0, caller);
	if (caller == 0) {
		struct mboxio_call c;
		char reply[8];

		CHILD_CHECK(do_call(fd, "q", reply, sizeof(reply),
				    MBOX_MSG_DEADLINE, now_ns() + MS(300), &c) ==
			    -ETIMEDOUT);
		CHILD_CHECK(c.seq == 1);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(queued), 1));
	ASSERT_EQ(0, bg_recv_start(&r, fd, h.addr, 64));
	ASSERT_EQ(0, hold_wait(&h, 5000));	/* claimed, copying */
	EXPECT_EQ(0, mbox_reap(caller));	/* gave up: "taken" */
	ASSERT_EQ(0, hold_fail(&h));
	pthread_join(r.thread, NULL);
	EXPECT_EQ(-EFAULT, r.ret);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.queued);
	EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0,
				     NULL));
	hold_cleanup(&h);
	close(fd);
}

/*
 * A reply waiting for a caller that does not collect it (interrupted, not
 * cancelled) is charged to the caller, not to the replier: a client cannot
 * use up a server's max_user_bytes.
 */
TEST_F(call, reply_charged_to_the_caller)
{
	const char *name = mbox_new_name("callcharge");
	static char big[60000];
	pid_t caller, srv;
	char reply[8];
	int fd;

	MBOX_SKIP_GUARD();
	if (geteuid() != 0)
		SKIP(return, "needs root to act as uid 1000");
	umask(0);
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0666, 1, 65536);
	ASSERT_LE(0, fd);
	caller = mbox_fork();
	ASSERT_LE(0, caller);
	if (caller == 0) {
		static char rbuf[65536];
		struct mboxio_call c;

		set_alarm_handler(0);
		CHILD_CHECK(do_call(fd, "q", rbuf, sizeof(rbuf), 0, 0, &c) ==
			    -EINTR);
		CHILD_CHECK(sync_post(self->sv[1], 'i') == 0);
		pause();	/* the call stays parked, its reply uncollected */
		_exit(0);
	}
	srv = mbox_fork();
	ASSERT_LE(0, srv);
	if (srv == 0) {
		struct mboxio_info info;
		uint64_t id;
		int s;

		CHILD_CHECK(mbox_become(1000, 1000, 0, NULL) == 0);
		s = mbox_open(self->dev, name, MBOX_FD_RECV);
		CHILD_CHECK(s >= 0);
		id = take(s, reply, sizeof(reply), NULL);
		CHILD_CHECK(id != 0);
		CHILD_CHECK(sync_post(self->sv[1], 't') == 0);
		CHILD_CHECK(sync_wait(self->sv[1]) == 'r');
		memset(big, 'x', sizeof(big));
		big[sizeof(big) - 1] = 0;
		CHILD_CHECK(do_reply(s, id, big) == 0);
		CHILD_CHECK(mbox_info(self->dev, &info) == 0);
		/* Nothing of the 60 KB reply is ours any more. */
		CHILD_CHECK(info.user_bytes < 4096);
		_exit(0);
	}
	ASSERT_EQ('t', sync_wait(self->sv[0]));
	ASSERT_EQ(0, mbox_wait_sleeping(caller));
	kill(caller, SIGUSR1);
	ASSERT_EQ('i', sync_wait(self->sv[0]));
	ASSERT_EQ(0, sync_post(self->sv[0], 'r'));
	EXPECT_EQ(0, mbox_reap(srv));
	kill(caller, SIGKILL);
	EXPECT_EQ(1000 + SIGKILL, mbox_reap(caller));
	close(fd);
}

/*
 * Reply-and-receive whose reply is delivered and whose receive then fails
 * returns the receive's error (EAGAIN, EPIPE), and the caller has its
 * reply all the same.
 */
TEST_F(call, reply_delivered_then_receive_fails)
{
	struct mboxio_reply_recv rr;
	char buf[64];
	pid_t caller;
	uint64_t id;
	int fd, round;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 64);
	ASSERT_LE(0, fd);
	for (round = 0; round < 2; round++) {
		caller = fork_caller(fd, "q", "ok");
		ASSERT_LT(0, caller);
		id = take(fd, buf, sizeof(buf), NULL);
		ASSERT_NE(0U, id);
		memset(&rr, 0, sizeof(rr));
		rr.reply.reply_id = id;
		rr.reply.buf = (uintptr_t)"ok";
		rr.reply.len = 2;
		rr.recv.buf = (uintptr_t)buf;
		rr.recv.size = sizeof(buf);
		if (round == 0) {
			rr.recv.flags = MBOX_MSG_DONTWAIT;
			EXPECT_EQ(-EAGAIN, mbox_ioctl(fd, MBOXIO_REPLY_RECV, &rr));
		} else {
			ASSERT_EQ(0, mbox_shutdown(fd));
			EXPECT_EQ(-EPIPE, mbox_ioctl(fd, MBOXIO_REPLY_RECV, &rr));
		}
		EXPECT_EQ(0, mbox_reap(caller)) TH_LOG("round %d", round);
		EXPECT_EQ(-ENOENT, do_reply(fd, id, "ok"));	/* used up */
	}
	close(fd);
}

TEST_HARNESS_MAIN
