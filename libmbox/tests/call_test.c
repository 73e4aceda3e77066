// SPDX-License-Identifier: GPL-2.0
/*
 * libmbox request/reply: mbox_call(), mbox_timedcall(), mbox_reply() and
 * mbox_reply_recv(), what info says on success and on each failure, and
 * that the receive calls report reply_id.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

/* A server answering @n requests "x" with "x!" through mbox_reply_recv(). */
static pid_t fork_server(int mb, int n)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct mbox_msginfo info;
		char buf[64], out[70];
		uint64_t id = 0;
		size_t len = 0;
		ssize_t got;
		int i;

		for (i = 0; i < n; i++) {
			got = mbox_reply_recv(mb, id, out, len, buf,
					      sizeof(buf) - 1, &info);
			if (got < 0 || !info.reply_id)
				_exit(1);
			buf[got] = 0;
			len = (size_t)snprintf(out, sizeof(out), "%s!", buf);
			id = info.reply_id;
		}
		_exit(mbox_reply(mb, id, out, len) ? 2 : 0);
	}
	return pid;
}

TEST(call_and_reply_recv)
{
	struct mbox_msginfo info;
	char reply[16];
	pid_t srv;
	int mb, i;

	REQUIRE_MBOX();
	mb = anon(0, 64);
	ASSERT_LE(0, mb);
	srv = fork_server(mb, 3);
	ASSERT_LT(0, srv);
	for (i = 0; i < 3; i++) {
		char req[8];

		snprintf(req, sizeof(req), "r%d", i);
		memset(&info, 0xff, sizeof(info));
		ASSERT_EQ(3, mbox_call(mb, req, 2, reply, sizeof(reply), &info));
		EXPECT_EQ(0, memcmp(reply, req, 2));
		EXPECT_EQ('!', reply[2]);
		EXPECT_EQ(srv, info.pid);
		EXPECT_EQ(getuid(), info.uid);
		EXPECT_EQ((uint64_t)i + 1, info.seq);
		EXPECT_EQ(3U, info.len);
		EXPECT_EQ(0U, info.reply_id);
	}
	EXPECT_EQ(0, wait_child(srv));
	EXPECT_EQ(0, mbox_close(mb));
}

/* One-way messages report reply_id 0, requests a handle, in every receive. */
TEST(receives_report_reply_id)
{
	struct mbox_msgvec vec[2];
	struct mbox_msginfo info;
	char buf[2][16], reply[8];
	pid_t caller;
	int mb;

	REQUIRE_MBOX();
	mb = anon(4, 16);
	ASSERT_LE(0, mb);
	ASSERT_EQ(0, mbox_send(mb, "plain", 5));
	caller = fork();
	ASSERT_LE(0, caller);
	if (caller == 0)
		_exit(mbox_call(mb, "ask", 3, reply, sizeof(reply), NULL) == 2 ?
		      0 : 1);
	{
		struct mbox_stat st;

		ASSERT_TRUE(WAIT_FOR_STAT(mb, st, st.queued == 2));
	}
	memset(vec, 0, sizeof(vec));
	vec[0].buf = buf[0];
	vec[0].len = sizeof(buf[0]);
	vec[1].buf = buf[1];
	vec[1].len = sizeof(buf[1]);
	ASSERT_EQ(2, mbox_recvv(mb, vec, 2, 0));
	EXPECT_EQ(0U, vec[0].info.reply_id);
	ASSERT_NE(0U, vec[1].info.reply_id);
	EXPECT_EQ(0, mbox_reply(mb, vec[1].info.reply_id, "ok", 2));
	EXPECT_EQ(0, wait_child(caller));

	caller = fork();
	ASSERT_LE(0, caller);
	if (caller == 0)
		_exit(mbox_call(mb, "b", 1, reply, sizeof(reply), NULL) == 1 ?
		      0 : 1);
	ASSERT_EQ(1, mbox_recv(mb, buf[0], sizeof(buf[0]), &info));
	ASSERT_NE(0U, info.reply_id);
	EXPECT_EQ(0, mbox_reply(mb, info.reply_id, "B", 1));
	errno = 0;
	EXPECT_EQ(-1, mbox_reply(mb, info.reply_id, "B", 1));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, wait_child(caller));
	EXPECT_EQ(0, mbox_close(mb));
}

/* ETIMEDOUT before anyone took the request: seq 0, nothing left queued. */
TEST(timedcall_untaken)
{
	struct mbox_msginfo info;
	struct mbox_stat st;
	char reply[8];
	int mb;

	REQUIRE_MBOX();
	mb = anon(2, 16);
	ASSERT_LE(0, mb);
	memset(&info, 0xff, sizeof(info));
	errno = 0;
	EXPECT_EQ(-1, mbox_timedcall(mb, "q", 1, reply, sizeof(reply), &info,
				     20 * NSEC_PER_MSEC));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_EQ(0U, info.seq);
	errno = 0;
	EXPECT_EQ(-1, mbox_timedcall(mb, "q", 1, reply, sizeof(reply), &info, 0));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_EQ(0U, info.seq);
	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(0U, st.queued);
	EXPECT_EQ(0, mbox_close(mb));
}

static void on_usr1(int sig)
{
	(void)sig;
}

/*
 * EINTR after the request was taken: the library gives the call up, so
 * info.seq is the request's number and the late reply gets ESRCH.
 */
TEST(eintr_reports_taken)
{
	struct mbox_msginfo info;
	char buf[8];
	pid_t caller;
	int mb, sv[2];

	REQUIRE_MBOX();
	mb = anon(2, 16);
	ASSERT_LE(0, mb);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	caller = fork();
	ASSERT_LE(0, caller);
	if (caller == 0) {
		struct sigaction sa = { .sa_handler = on_usr1 };
		char reply[8], c = 0;
		ssize_t r;

		sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART */
		r = mbox_call(mb, "q", 1, reply, sizeof(reply), &info);
		c = (r == -1 && errno == EINTR && info.seq == 1) ? 'y' : 'n';
		_exit(write(sv[1], &c, 1) == 1 && c == 'y' ? 0 : 1);
	}
	ASSERT_EQ(1, mbox_recv(mb, buf, sizeof(buf), &info));
	ASSERT_NE(0U, info.reply_id);
	/* The caller sleeps in its call once it is in the kernel's hands. */
	for (int i = 0; i < 5000; i++) {
		char path[64], st[256];
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/stat", caller);
		f = fopen(path, "r");
		if (f && fgets(st, sizeof(st), f) && strstr(st, ") S ")) {
			fclose(f);
			break;
		}
		if (f)
			fclose(f);
		usleep(1000);
	}
	kill(caller, SIGUSR1);
	{
		char c = 0;

		ASSERT_EQ(1, read(sv[0], &c, 1));
		EXPECT_EQ('y', c);
	}
	errno = 0;
	EXPECT_EQ(-1, mbox_reply(mb, info.reply_id, "late", 4));
	EXPECT_EQ(ESRCH, errno);
	EXPECT_EQ(0, wait_child(caller));
	close(sv[0]);
	close(sv[1]);
	EXPECT_EQ(0, mbox_close(mb));
}

/* A reply longer than the caller's buffer fails on the server's side. */
TEST(reply_emsgsize_then_shorter)
{
	struct mbox_msginfo info;
	char buf[8];
	pid_t caller;
	uint64_t id;
	int mb;

	REQUIRE_MBOX();
	mb = anon(2, 16);
	ASSERT_LE(0, mb);
	caller = fork();
	ASSERT_LE(0, caller);
	if (caller == 0) {
		char reply[2];

		_exit(mbox_call(mb, "q", 1, reply, sizeof(reply), NULL) == 2 ?
		      0 : 1);
	}
	ASSERT_EQ(1, mbox_recv(mb, buf, sizeof(buf), &info));
	id = info.reply_id;
	errno = 0;
	EXPECT_EQ(-1, mbox_reply(mb, id, "toolong", 7));
	EXPECT_EQ(EMSGSIZE, errno);
	/* Through mbox_reply_recv(): nothing received, info.len 0. */
	ASSERT_EQ(0, mbox_send(mb, "next", 4));
	errno = 0;
	EXPECT_EQ(-1, mbox_reply_recv(mb, id, "toolong", 7, buf, sizeof(buf),
				      &info));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(0U, info.len);
	EXPECT_EQ(0, mbox_reply(mb, id, "ok", 2));
	EXPECT_EQ(0, wait_child(caller));
	EXPECT_EQ(4, mbox_tryrecv(mb, buf, sizeof(buf), NULL));
	EXPECT_EQ(0, mbox_close(mb));
}

TEST_HARNESS_MAIN
