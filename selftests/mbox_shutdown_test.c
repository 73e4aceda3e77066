// SPDX-License-Identifier: GPL-2.0
/*
 * mbox shutdown: permanent, by any fd with send access; blocked senders are
 * woken with EPIPE and deliver nothing, receivers drain what is queued and
 * then get EPIPE, waiting receivers are woken with EPIPE.
 */
#define _GNU_SOURCE
#include "mbox_helpers.h"
#include "../kselftest_harness.h"

MBOX_FIXTURE(shut)

/* Child: a blocking send, result (0 or errno) posted as one byte. */
static void child_send(int fd, int sock, const char *msg)
{
	int ret = mbox_send(fd, msg, strlen(msg), 0, 0);

	sync_post(sock, (char)-ret);
	_exit(0);
}

static void child_recv(int fd, int sock)
{
	char buf[16];
	int ret = mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL);

	sync_post(sock, ret < 0 ? (char)-ret : 0);
	_exit(0);
}

TEST_F(shut, drain_then_epipe)
{
	struct mboxio_stat st;
	struct mboxio_recv r;
	char buf[16];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "one"));
	ASSERT_EQ(0, mbox_send_str(fd, "two"));
	ASSERT_EQ(0, mbox_shutdown(fd));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ((__u32)MBOX_STAT_SHUTDOWN, st.flags & MBOX_STAT_SHUTDOWN);
	EXPECT_EQ(2U, st.queued);
	/* Sends fail at once, even with room in the queue. */
	EXPECT_EQ(-EPIPE, mbox_send_str(fd, "three"));
	EXPECT_EQ(-EPIPE, mbox_send(fd, "x", 1, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(3, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(0, memcmp(buf, "one", 3));
	EXPECT_EQ(1U, r.seq);
	EXPECT_EQ(3, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, &r));
	EXPECT_EQ(0, memcmp(buf, "two", 3));
	EXPECT_EQ(2U, r.seq);
	/* Empty: EPIPE, whatever the wait mode. */
	EXPECT_EQ(-EPIPE, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_EQ(-EPIPE, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	EXPECT_EQ(-EPIPE, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DEADLINE,
				    now_ns() + MS(1000), NULL));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(2U, st.sent);
	EXPECT_EQ(2U, st.received);
	close(fd);
}

TEST_F(shut, second_shutdown_is_zero)
{
	struct mboxio_stat st;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 16);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, mbox_shutdown(fd));
	EXPECT_EQ(0, mbox_shutdown(fd));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ((__u32)MBOX_STAT_SHUTDOWN, st.flags & MBOX_STAT_SHUTDOWN);
	close(fd);
}

TEST_F(shut, needs_send_access)
{
	const char *name = mbox_new_name("shacc");
	struct mboxio_stat st;
	int fd, ro, wo;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_RECV, 0600, 1, 16);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EBADF, mbox_shutdown(fd));
	ro = mbox_open(self->dev, name, MBOX_FD_RECV | MBOX_FD_NONBLOCK);
	ASSERT_LE(0, ro);
	EXPECT_EQ(-EBADF, mbox_shutdown(ro));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.flags & MBOX_STAT_SHUTDOWN);
	/* A write-only fd may shut it down; it is seen through every fd. */
	wo = mbox_open(self->dev, name, MBOX_FD_SEND);
	ASSERT_LE(0, wo);
	EXPECT_EQ(0, mbox_shutdown(wo));
	ASSERT_EQ(0, mbox_stat(ro, &st));
	EXPECT_EQ((__u32)MBOX_STAT_SHUTDOWN, st.flags & MBOX_STAT_SHUTDOWN);
	EXPECT_EQ(-EPIPE, mbox_recv(ro, &st, 1, 0, 0, NULL));
	close(wo);
	close(ro);
	close(fd);
}

TEST_F(shut, permanent_across_opens)
{
	const char *name = mbox_new_name("perm");
	char buf[16];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 2, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "kept"));
	ASSERT_EQ(0, mbox_shutdown(fd));
	close(fd);
	fd = mbox_open(self->dev, name, MBOX_FD_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EPIPE, mbox_send_str(fd, "more"));
	EXPECT_EQ(4, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_EQ(-EPIPE, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	close(fd);
	EXPECT_EQ(0, mbox_unlink(self->dev, name));
}

TEST_F(shut, wakes_blocked_bounded_sender)
{
	struct mboxio_stat st;
	char buf[16];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "queued"));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		child_send(fd, self->sv[1], "blocked");
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));
	ASSERT_EQ(0, mbox_shutdown(fd));
	EXPECT_EQ(EPIPE, sync_wait(self->sv[0]));
	EXPECT_EQ(0, mbox_reap(pid));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(1U, st.queued);
	EXPECT_EQ(1U, st.sent);
	EXPECT_EQ(0U, st.waiting_senders);
	/* Only the message queued before the shutdown is delivered. */
	EXPECT_EQ(6, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_EQ(0, memcmp(buf, "queued", 6));
	EXPECT_EQ(-EPIPE, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	close(fd);
}

TEST_F(shut, wakes_blocked_rendezvous_sender)
{
	struct mboxio_stat st;
	char buf[16];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 16);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		child_send(fd, self->sv[1], "offered");
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));
	ASSERT_EQ(0, mbox_shutdown(fd));
	EXPECT_EQ(EPIPE, sync_wait(self->sv[0]));
	EXPECT_EQ(0, mbox_reap(pid));
	/* The offer is gone with it. */
	EXPECT_EQ(-EPIPE, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.sent);
	EXPECT_EQ(0U, st.received);
	EXPECT_EQ(0U, st.waiting_senders);
	close(fd);
}

TEST_F(shut, wakes_several_blocked_senders)
{
	pid_t pid[3];
	int fd, i;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "full"));
	for (i = 0; i < 3; i++) {
		pid[i] = mbox_fork();
		ASSERT_LE(0, pid[i]);
		if (pid[i] == 0)
			child_send(fd, self->sv[1], "waiting");
		ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders),
					    i + 1));
	}
	ASSERT_EQ(0, mbox_shutdown(fd));
	for (i = 0; i < 3; i++)
		EXPECT_EQ(EPIPE, sync_wait(self->sv[0]));
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, mbox_reap(pid[i]));
	close(fd);
}

TEST_F(shut, wakes_waiting_receivers)
{
	pid_t pid[2];
	int fd, i;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 16);
	ASSERT_LE(0, fd);
	for (i = 0; i < 2; i++) {
		pid[i] = mbox_fork();
		ASSERT_LE(0, pid[i]);
		if (pid[i] == 0)
			child_recv(fd, self->sv[1]);
		ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers),
					    i + 1));
	}
	ASSERT_EQ(0, mbox_shutdown(fd));
	for (i = 0; i < 2; i++)
		EXPECT_EQ(EPIPE, sync_wait(self->sv[0]));
	for (i = 0; i < 2; i++)
		EXPECT_EQ(0, mbox_reap(pid[i]));
	close(fd);
}

TEST_F(shut, rendezvous_receiver_woken)
{
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 16);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		child_recv(fd, self->sv[1]);
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 1));
	ASSERT_EQ(0, mbox_shutdown(fd));
	EXPECT_EQ(EPIPE, sync_wait(self->sv[0]));
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

TEST_HARNESS_MAIN
