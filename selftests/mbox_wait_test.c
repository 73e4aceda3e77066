// SPDX-License-Identifier: GPL-2.0
/*
 * mbox waiting: MBOX_MSG_DONTWAIT, O_NONBLOCK fds (at create, at open and
 * set later with fcntl), MBOX_MSG_DEADLINE timeouts for sends and receives,
 * deadlines already past, and calls that can complete at once.
 */
#define _GNU_SOURCE
#include "mbox_helpers.h"
#include "../kselftest_harness.h"

MBOX_FIXTURE(wait)

TEST_F(wait, dontwait_recv_empty)
{
	struct mboxio_stat st;
	char buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 8);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.waiting_receivers);
	/* Something to take: DONTWAIT succeeds. */
	ASSERT_EQ(0, mbox_send(fd, "ok", 2, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(2, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	close(fd);
}

TEST_F(wait, nonblock_fd_at_create)
{
	struct mboxio_stat st;
	char buf[8];
	int fd, fl;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR | MBOX_FD_NONBLOCK, 0600, 1, 8);
	ASSERT_LE(0, fd);
	fl = fcntl(fd, F_GETFL);
	ASSERT_LE(0, fl);
	EXPECT_EQ(O_NONBLOCK, fl & O_NONBLOCK);
	EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	/* O_NONBLOCK wins over a deadline in the future. */
	EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DEADLINE,
				     now_ns() + MS(5000), NULL));
	ASSERT_EQ(0, mbox_send(fd, "1", 1, 0, 0));
	EXPECT_EQ(-EAGAIN, mbox_send(fd, "2", 1, 0, 0));
	EXPECT_EQ(-EAGAIN, mbox_send(fd, "2", 1, MBOX_MSG_DEADLINE, now_ns() + MS(5000)));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(1U, st.queued);
	EXPECT_EQ(1, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	close(fd);
}

TEST_F(wait, nonblock_fd_rendezvous_send)
{
	struct mboxio_stat st;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR | MBOX_FD_NONBLOCK, 0600, 0, 8);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EAGAIN, mbox_send(fd, "r", 1, 0, 0));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.waiting_senders);
	EXPECT_EQ(0U, st.sent);
	close(fd);
}

TEST_F(wait, nonblock_fd_at_open)
{
	const char *name = mbox_new_name("nbopen");
	char buf[8];
	int fd, nb;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, fcntl(fd, F_GETFL) & O_NONBLOCK);
	nb = mbox_open(self->dev, name, MBOX_FD_RDWR | MBOX_FD_NONBLOCK);
	ASSERT_LE(0, nb);
	EXPECT_EQ(O_NONBLOCK, fcntl(nb, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(-EAGAIN, mbox_recv(nb, buf, sizeof(buf), 0, 0, NULL));
	/* The blocking fd on the same mailbox still waits (until a deadline). */
	EXPECT_EQ(-ETIMEDOUT, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DEADLINE,
					now_ns() + MS(20), NULL));
	close(nb);
	close(fd);
	EXPECT_EQ(0, mbox_unlink(self->dev, name));
}

TEST_F(wait, fcntl_nonblock_after_the_fact)
{
	uint64_t deadline;
	char buf[8];
	int fd, fl;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	fl = fcntl(fd, F_GETFL);
	ASSERT_LE(0, fl);
	ASSERT_EQ(0, fcntl(fd, F_SETFL, fl | O_NONBLOCK));
	EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	ASSERT_EQ(0, mbox_send(fd, "x", 1, 0, 0));
	EXPECT_EQ(-EAGAIN, mbox_send(fd, "y", 1, 0, 0));
	EXPECT_EQ(1, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	/* Clearing it makes calls wait again. */
	ASSERT_EQ(0, fcntl(fd, F_SETFL, fl & ~O_NONBLOCK));
	deadline = now_ns() + MS(30);
	EXPECT_EQ(-ETIMEDOUT, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DEADLINE,
					deadline, NULL));
	EXPECT_LE(deadline, now_ns());
	close(fd);
}

TEST_F(wait, recv_timeout)
{
	struct mboxio_stat st;
	uint64_t start, deadline;
	char buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	start = now_ns();
	deadline = start + MS(100);
	EXPECT_EQ(-ETIMEDOUT, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DEADLINE,
					deadline, NULL));
	/* Waited at least until the deadline. */
	EXPECT_LE(deadline, now_ns());
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.waiting_receivers);
	EXPECT_EQ(0U, st.received);
	close(fd);
}

TEST_F(wait, send_timeout_bounded)
{
	struct mboxio_stat st;
	uint64_t deadline;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "1", 1, 0, 0));
	deadline = now_ns() + MS(100);
	EXPECT_EQ(-ETIMEDOUT, mbox_send(fd, "2", 1, MBOX_MSG_DEADLINE, deadline));
	EXPECT_LE(deadline, now_ns());
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(1U, st.queued);
	EXPECT_EQ(1U, st.sent);
	EXPECT_EQ(0U, st.waiting_senders);
	close(fd);
}

TEST_F(wait, send_timeout_rendezvous)
{
	struct mboxio_stat st;
	uint64_t deadline;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 8);
	ASSERT_LE(0, fd);
	deadline = now_ns() + MS(100);
	EXPECT_EQ(-ETIMEDOUT, mbox_send(fd, "2", 1, MBOX_MSG_DEADLINE, deadline));
	EXPECT_LE(deadline, now_ns());
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.sent);
	EXPECT_EQ(0U, st.waiting_senders);
	close(fd);
}

TEST_F(wait, past_deadline)
{
	uint64_t past = now_ns() - MS(1);
	char buf[8];
	int fd, rv;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-ETIMEDOUT, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DEADLINE, past, NULL));
	EXPECT_EQ(-ETIMEDOUT, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DEADLINE, 1, NULL));
	/* A call that can complete at once succeeds whatever the deadline. */
	EXPECT_EQ(0, mbox_send(fd, "1", 1, MBOX_MSG_DEADLINE, 1));
	EXPECT_EQ(-ETIMEDOUT, mbox_send(fd, "2", 1, MBOX_MSG_DEADLINE, past));
	EXPECT_EQ(1, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DEADLINE, past, NULL));
	EXPECT_EQ('1', buf[0]);
	close(fd);

	rv = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 8);
	ASSERT_LE(0, rv);
	EXPECT_EQ(-ETIMEDOUT, mbox_send(rv, "r", 1, MBOX_MSG_DEADLINE, past));
	EXPECT_EQ(-ETIMEDOUT, mbox_recv(rv, buf, sizeof(buf), MBOX_MSG_DEADLINE, past, NULL));
	close(rv);
}

TEST_F(wait, deadline_requires_flag)
{
	char buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, mbox_send(fd, "1", 1, 0, now_ns() + MS(10)));
	EXPECT_EQ(-EINVAL, mbox_recv(fd, buf, sizeof(buf), 0, now_ns() + MS(10), NULL));
	close(fd);
}

TEST_F(wait, timed_recv_gets_message_before_deadline)
{
	uint64_t deadline;
	char buf[8];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(sync_wait(self->sv[1]) == 'g');
		CHILD_CHECK(mbox_send(fd, "late", 4, 0, 0) == 0);
		_exit(0);
	}
	deadline = now_ns() + MS(10000);
	ASSERT_EQ(0, sync_post(self->sv[0], 'g'));
	EXPECT_EQ(4, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DEADLINE, deadline, NULL));
	EXPECT_GT(deadline, now_ns());
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

TEST_F(wait, timed_send_taken_before_deadline)
{
	uint64_t deadline;
	char buf[8];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 8);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1) == 0);
		CHILD_CHECK(mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL) == 2);
		_exit(0);
	}
	deadline = now_ns() + MS(10000);
	EXPECT_EQ(0, mbox_send(fd, "rv", 2, MBOX_MSG_DEADLINE, deadline));
	EXPECT_GT(deadline, now_ns());
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

TEST_HARNESS_MAIN
