// SPDX-License-Identifier: GPL-2.0
/*
 * libmbox message tests: send/recv and what info reports, the try/timed
 * variants and the timeout translation, EMSGSIZE, shutdown, the counters,
 * and an anonymous mailbox shared with a forked child.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

TEST(send_recv_info)
{
	struct mbox_msginfo info;
	char buf[64];
	int mb;

	REQUIRE_MBOX();

	mb = anon(4, 64);
	ASSERT_LE(0, mb);

	ASSERT_EQ(0, mbox_send(mb, "hello", 5));
	ASSERT_EQ(0, mbox_send(mb, NULL, 0));		/* empty message */
	ASSERT_EQ(0, mbox_send(mb, "third", 5));

	memset(&info, 0xff, sizeof(info));
	ASSERT_EQ(5, mbox_recv(mb, buf, sizeof(buf), &info));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	EXPECT_EQ(getpid(), info.pid);
	EXPECT_EQ(geteuid(), info.uid);
	EXPECT_EQ(getegid(), info.gid);
	EXPECT_EQ(1, info.seq);
	EXPECT_EQ(5, info.len);

	ASSERT_EQ(0, mbox_recv(mb, buf, sizeof(buf), &info));
	EXPECT_EQ(2, info.seq);
	EXPECT_EQ(0, info.len);

	/* info may be NULL. */
	ASSERT_EQ(5, mbox_recv(mb, buf, sizeof(buf), NULL));
	EXPECT_EQ(0, memcmp(buf, "third", 5));

	ASSERT_EQ(0, mbox_send(mb, "x", 1));
	ASSERT_EQ(1, mbox_tryrecv(mb, buf, sizeof(buf), &info));
	EXPECT_EQ(4, info.seq);
	EXPECT_EQ(0, mbox_close(mb));
}

/* An anonymous mailbox reaches a forked child both ways; info->pid is
 * the sending process. */
TEST(anonymous_across_fork)
{
	struct mbox_msginfo info;
	char buf[64], want[64];
	pid_t child;
	int mb, i;

	REQUIRE_MBOX();

	mb = anon(2, 64);
	ASSERT_LE(0, mb);

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		/* Send three, then take the parent's reply. */
		for (i = 1; i <= 3; i++) {
			snprintf(buf, sizeof(buf), "child %d", i);
			if (mbox_send(mb, buf, strlen(buf)))
				_exit(10 + i);
		}
		/* Wait until the parent has taken all three. */
		for (i = 0; i < 5000; i++) {
			struct mbox_stat st;

			if (mbox_stat(mb, &st) || st.received == 3)
				break;
			usleep(1000);
		}
		if (mbox_recv(mb, buf, sizeof(buf), &info) != 5 ||
		    memcmp(buf, "reply", 5) || info.pid != getppid() ||
		    info.seq != 4)
			_exit(20);
		_exit(0);
	}

	for (i = 1; i <= 3; i++) {
		snprintf(want, sizeof(want), "child %d", i);
		memset(buf, 0, sizeof(buf));
		ASSERT_EQ((ssize_t)strlen(want),
			  mbox_timedrecv(mb, buf, sizeof(buf), &info,
					 5 * NSEC_PER_SEC));
		EXPECT_STREQ(want, buf);
		EXPECT_EQ(child, info.pid);
		EXPECT_EQ(geteuid(), info.uid);
		EXPECT_EQ((uint64_t)i, info.seq);
	}
	ASSERT_EQ(0, mbox_send(mb, "reply", 5));
	EXPECT_EQ(0, wait_child(child));
	EXPECT_EQ(0, mbox_close(mb));
}

/* try* and timeout 0 never wait: EAGAIN when they would. */
TEST(try_eagain)
{
	struct mbox_stat st;
	char buf[8];
	int mb;

	REQUIRE_MBOX();

	mb = anon(1, 8);
	ASSERT_LE(0, mb);

	errno = 0;
	EXPECT_EQ(-1, mbox_tryrecv(mb, buf, sizeof(buf), NULL));
	EXPECT_EQ(EAGAIN, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_timedrecv(mb, buf, sizeof(buf), NULL, 0));
	EXPECT_EQ(EAGAIN, errno);

	EXPECT_EQ(0, mbox_trysend(mb, "a", 1));
	errno = 0;
	EXPECT_EQ(-1, mbox_trysend(mb, "b", 1));
	EXPECT_EQ(EAGAIN, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_timedsend(mb, "b", 1, 0));
	EXPECT_EQ(EAGAIN, errno);

	/* Possible at once: succeeds whatever the timeout. */
	EXPECT_EQ(1, mbox_timedrecv(mb, buf, sizeof(buf), NULL, 0));
	EXPECT_EQ(0, mbox_timedsend(mb, "c", 1, 1));
	EXPECT_EQ(1, mbox_timedrecv(mb, buf, sizeof(buf), NULL, 1));
	EXPECT_EQ('c', buf[0]);

	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(2, st.sent);
	EXPECT_EQ(2, st.received);
	EXPECT_EQ(0, mbox_close(mb));
}

/* Rendezvous: a try-send with no receiver waiting fails and leaves
 * nothing on offer. */
TEST(rendezvous_try_eagain)
{
	struct mbox_stat st;
	char buf[8];
	int mb;

	REQUIRE_MBOX();

	mb = anon(0, 8);
	ASSERT_LE(0, mb);
	errno = 0;
	EXPECT_EQ(-1, mbox_trysend(mb, "a", 1));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(0, st.waiting_senders);
	EXPECT_EQ(0, st.sent);
	errno = 0;
	EXPECT_EQ(-1, mbox_tryrecv(mb, buf, sizeof(buf), NULL));
	EXPECT_EQ(EAGAIN, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_timedsend(mb, "a", 1, 20 * NSEC_PER_MSEC));
	EXPECT_EQ(ETIMEDOUT, errno);
	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(0, st.waiting_senders);
	EXPECT_EQ(0, st.sent);
	EXPECT_EQ(0, mbox_close(mb));
}

/* Rendezvous: the send returns only once the receiver has the message. */
TEST(rendezvous_send_waits_for_receiver)
{
	struct mbox_msginfo info;
	struct mbox_stat st;
	char buf[8];
	pid_t child;
	int mb;

	REQUIRE_MBOX();

	mb = anon(0, 8);
	ASSERT_LE(0, mb);

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		if (!WAIT_FOR_STAT(mb, st, st.waiting_senders == 1))
			_exit(1);
		usleep(50 * 1000);	/* the sender must still be waiting */
		if (mbox_recv(mb, buf, sizeof(buf), &info) != 4 ||
		    info.pid != getppid() || info.seq != 1)
			_exit(2);
		_exit(0);
	}

	ASSERT_EQ(0, mbox_send(mb, "ping", 4));
	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(1, st.received);
	EXPECT_EQ(1, st.sent);
	EXPECT_EQ(0, st.waiting_senders);
	EXPECT_EQ(0, wait_child(child));
	EXPECT_EQ(0, mbox_close(mb));
}

/* A positive timeout waits at least that long, then ETIMEDOUT. */
TEST(timed_etimedout)
{
	const int64_t timeout = 100 * NSEC_PER_MSEC;
	struct mbox_stat st;
	int64_t t0, elapsed;
	char buf[8];
	int mb;

	REQUIRE_MBOX();

	mb = anon(1, 8);
	ASSERT_LE(0, mb);

	t0 = mono_ns();
	errno = 0;
	EXPECT_EQ(-1, mbox_timedrecv(mb, buf, sizeof(buf), NULL, timeout));
	EXPECT_EQ(ETIMEDOUT, errno);
	elapsed = mono_ns() - t0;
	EXPECT_LE(timeout, elapsed);
	EXPECT_GT(timeout + 2 * NSEC_PER_SEC, elapsed);

	ASSERT_EQ(0, mbox_send(mb, "full", 4));
	t0 = mono_ns();
	errno = 0;
	EXPECT_EQ(-1, mbox_timedsend(mb, "more", 4, timeout));
	EXPECT_EQ(ETIMEDOUT, errno);
	elapsed = mono_ns() - t0;
	EXPECT_LE(timeout, elapsed);
	EXPECT_GT(timeout + 2 * NSEC_PER_SEC, elapsed);

	/* A deadline 1 ns away has passed by the time the kernel looks. */
	errno = 0;
	EXPECT_EQ(-1, mbox_timedsend(mb, "more", 4, 1));
	EXPECT_EQ(ETIMEDOUT, errno);

	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(1, st.sent);
	EXPECT_EQ(1, st.queued);
	EXPECT_EQ(0, st.waiting_senders);
	EXPECT_EQ(0, mbox_close(mb));
}

/* Negative timeouts and ones whose deadline would overflow wait forever
 * (here: until a child sends), they do not fail at once. */
TEST(timeout_forever)
{
	const int64_t timeouts[] = { -1, INT64_MIN, INT64_MAX,
				     INT64_MAX - 1000 };
	struct mbox_msginfo info;
	struct mbox_stat st;
	char buf[8];
	pid_t child;
	size_t i;
	int mb;

	REQUIRE_MBOX();

	mb = anon(1, 8);
	ASSERT_LE(0, mb);

	for (i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); i++) {
		child = fork();
		ASSERT_LE(0, child);
		if (child == 0) {
			if (!WAIT_FOR_STAT(mb, st, st.waiting_receivers == 1))
				_exit(1);
			usleep(20 * 1000);
			_exit(mbox_send(mb, "late", 4) ? 2 : 0);
		}
		errno = 0;
		EXPECT_EQ(4, mbox_timedrecv(mb, buf, sizeof(buf), &info,
					    timeouts[i]))
			TH_LOG("timeout %lld: errno %d",
			       (long long)timeouts[i], errno);
		EXPECT_EQ(child, info.pid);
		EXPECT_EQ(0, wait_child(child));
	}

	/* The same for a sender waiting for room. */
	ASSERT_EQ(0, mbox_send(mb, "full", 4));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		if (!WAIT_FOR_STAT(mb, st, st.waiting_senders == 1))
			_exit(1);
		usleep(20 * 1000);
		_exit(mbox_recv(mb, buf, sizeof(buf), NULL) == 4 ? 0 : 2);
	}
	EXPECT_EQ(0, mbox_timedsend(mb, "room", 4, INT64_MAX));
	EXPECT_EQ(0, wait_child(child));
	EXPECT_EQ(0, mbox_close(mb));
}

/* EMSGSIZE both ways; a receive that is too small leaves the message. */
TEST(emsgsize)
{
	struct mbox_msginfo info;
	char msg[64], buf[128];
	size_t huge;
	int mb;

	REQUIRE_MBOX();

	mb = anon(4, sizeof(msg));
	ASSERT_LE(0, mb);
	memset(msg, 'm', sizeof(msg));

	errno = 0;
	EXPECT_EQ(-1, mbox_send(mb, buf, sizeof(msg) + 1));
	EXPECT_EQ(EMSGSIZE, errno);
	ASSERT_EQ(0, mbox_send(mb, msg, sizeof(msg)));

	memset(&info, 0xff, sizeof(info));
	errno = 0;
	EXPECT_EQ(-1, mbox_recv(mb, buf, 10, &info));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(sizeof(msg), info.len);
	EXPECT_EQ(0, info.seq);
	EXPECT_EQ(0, info.pid);

	/* Asking with no buffer at all. */
	info.len = 0;
	errno = 0;
	EXPECT_EQ(-1, mbox_tryrecv(mb, NULL, 0, &info));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(sizeof(msg), info.len);
	errno = 0;
	EXPECT_EQ(-1, mbox_timedrecv(mb, buf, sizeof(msg) - 1, NULL,
				     NSEC_PER_SEC));
	EXPECT_EQ(EMSGSIZE, errno);

	/* Still there, still the first. */
	ASSERT_EQ((ssize_t)sizeof(msg), mbox_recv(mb, buf, sizeof(msg), &info));
	EXPECT_EQ(0, memcmp(buf, msg, sizeof(msg)));
	EXPECT_EQ(1, info.seq);

	/* A size beyond 32 bits is clamped, not refused. */
	huge = SIZE_MAX;
	ASSERT_EQ(0, mbox_send(mb, "short", 5));
	EXPECT_EQ(5, mbox_recv(mb, buf, huge, &info));
	EXPECT_EQ(2, info.seq);
	EXPECT_EQ(0, mbox_close(mb));
}

/* The counters follow the traffic. */
TEST(stat_counters)
{
	struct mbox_stat st;
	char buf[8];
	int mb;

	REQUIRE_MBOX();

	mb = anon(4, 8);
	ASSERT_LE(0, mb);
	ASSERT_EQ(0, mbox_send(mb, "a", 1));
	ASSERT_EQ(0, mbox_send(mb, "bb", 2));
	ASSERT_EQ(0, mbox_send(mb, "ccc", 3));

	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(3, st.queued);
	EXPECT_EQ(6, st.queued_bytes);
	EXPECT_EQ(3, st.sent);
	EXPECT_EQ(0, st.received);

	ASSERT_EQ(1, mbox_recv(mb, buf, sizeof(buf), NULL));
	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(2, st.queued);
	EXPECT_EQ(5, st.queued_bytes);
	EXPECT_EQ(3, st.sent);
	EXPECT_EQ(1, st.received);
	EXPECT_EQ(0, st.waiting_senders);
	EXPECT_EQ(0, st.waiting_receivers);
	EXPECT_EQ(0, mbox_close(mb));
}

/* Shutdown: sends fail EPIPE, receivers drain, then EPIPE. */
TEST(shutdown_drains_then_epipe)
{
	struct mbox_stat st;
	char buf[8];
	int mb;

	REQUIRE_MBOX();

	mb = anon(4, 8);
	ASSERT_LE(0, mb);
	ASSERT_EQ(0, mbox_send(mb, "1", 1));
	ASSERT_EQ(0, mbox_send(mb, "2", 1));
	ASSERT_EQ(0, mbox_shutdown(mb));
	ASSERT_EQ(0, mbox_shutdown(mb));	/* twice is fine */

	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_NE(0, st.shutdown);
	EXPECT_EQ(2, st.queued);

	errno = 0;
	EXPECT_EQ(-1, mbox_trysend(mb, "3", 1));
	EXPECT_EQ(EPIPE, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_send(mb, "3", 1));
	EXPECT_EQ(EPIPE, errno);

	EXPECT_EQ(1, mbox_recv(mb, buf, sizeof(buf), NULL));
	EXPECT_EQ('1', buf[0]);
	EXPECT_EQ(1, mbox_recv(mb, buf, sizeof(buf), NULL));
	EXPECT_EQ('2', buf[0]);
	errno = 0;
	EXPECT_EQ(-1, mbox_recv(mb, buf, sizeof(buf), NULL));
	EXPECT_EQ(EPIPE, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_tryrecv(mb, buf, sizeof(buf), NULL));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(0, mbox_close(mb));
}

/* Shutdown wakes a blocked sender with EPIPE; its message is dropped. */
TEST(shutdown_wakes_blocked_sender)
{
	struct mbox_stat st;
	char buf[8];
	pid_t child;
	int mb;

	REQUIRE_MBOX();

	mb = anon(1, 8);
	ASSERT_LE(0, mb);
	ASSERT_EQ(0, mbox_send(mb, "kept", 4));

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		errno = 0;
		if (mbox_send(mb, "lost", 4) != -1)
			_exit(1);
		_exit(errno == EPIPE ? 0 : 2);
	}
	ASSERT_TRUE(WAIT_FOR_STAT(mb, st, st.waiting_senders == 1));
	ASSERT_EQ(0, mbox_shutdown(mb));
	EXPECT_EQ(0, wait_child(child));

	EXPECT_EQ(4, mbox_recv(mb, buf, sizeof(buf), NULL));
	EXPECT_EQ(0, memcmp(buf, "kept", 4));
	errno = 0;
	EXPECT_EQ(-1, mbox_recv(mb, buf, sizeof(buf), NULL));
	EXPECT_EQ(EPIPE, errno);
	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(1, st.sent);
	EXPECT_EQ(1, st.received);
	EXPECT_EQ(0, mbox_close(mb));
}

/* Shutdown wakes a blocked receiver with EPIPE. */
TEST(shutdown_wakes_blocked_receiver)
{
	struct mbox_stat st;
	char buf[8];
	pid_t child;
	int mb;

	REQUIRE_MBOX();

	mb = anon(1, 8);
	ASSERT_LE(0, mb);

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		errno = 0;
		if (mbox_recv(mb, buf, sizeof(buf), NULL) != -1)
			_exit(1);
		_exit(errno == EPIPE ? 0 : 2);
	}
	ASSERT_TRUE(WAIT_FOR_STAT(mb, st, st.waiting_receivers == 1));
	ASSERT_EQ(0, mbox_shutdown(mb));
	EXPECT_EQ(0, wait_child(child));
	EXPECT_EQ(0, mbox_close(mb));
}

TEST_HARNESS_MAIN
