// SPDX-License-Identifier: GPL-2.0
/*
 * mbox batches: MBOXIO_SENDV and MBOXIO_RECVV. Argument checks (count,
 * flags, __pad), partial batches (capacity, queue length, a bad or too
 * small element), per-element delivery fields, access modes, rendezvous,
 * waiting for the first element only, deadlines, shutdown and order.
 */
#define _GNU_SOURCE
#include "mbox_helpers.h"
#include "../kselftest_harness.h"

#define USER_UID	1000
#define USER_GID	1000

FIXTURE(batch) {
	MBOX_ENV_FIELDS;
	char bufs[16][32];
	struct mboxio_sendmsg s[16];
	struct mboxio_recvmsg r[16];
};

/* Fill s[i] with message "m<i>" and r[i] with a 32-byte buffer. */
static void batch_prepare(FIXTURE_DATA(batch) *self, int first)
{
	static char msgs[16][8];
	int i;

	memset(self->s, 0, sizeof(self->s));
	memset(self->r, 0, sizeof(self->r));
	memset(self->bufs, 0, sizeof(self->bufs));
	for (i = 0; i < 16; i++) {
		snprintf(msgs[i], sizeof(msgs[i]), "m%d", first + i);
		self->s[i].buf = (uintptr_t)msgs[i];
		self->s[i].len = strlen(msgs[i]);
		self->r[i].buf = (uintptr_t)self->bufs[i];
		self->r[i].size = sizeof(self->bufs[i]);
		self->r[i].len = 0xdeadbeef;
	}
}

FIXTURE_SETUP(batch)
{
	MBOX_ENV_SETUP();
	batch_prepare(self, 0);
}

FIXTURE_TEARDOWN(batch)
{
	MBOX_ENV_TEARDOWN();
}

static uint32_t queued(int fd)
{
	struct mboxio_stat st;

	if (mbox_stat(fd, &st))
		return ~0U;
	return st.queued;
}

TEST_F(batch, count_zero)
{
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 32);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, mbox_sendv(fd, self->s, 0, 0, 0));
	/* Nothing to receive, but count 0 never waits. */
	EXPECT_EQ(0, mbox_recvv(fd, self->r, 0, 0, 0));
	EXPECT_EQ(0, mbox_sendv(fd, NULL, 0, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(0U, queued(fd));
	close(fd);
}

TEST_F(batch, bad_arguments)
{
	static struct mboxio_sendmsg big[MBOX_BATCH_MAX + 1];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 32);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, mbox_sendv(fd, big, MBOX_BATCH_MAX + 1, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(-EINVAL, mbox_recvv(fd, self->r, MBOX_BATCH_MAX + 1, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(-EINVAL, mbox_recvv(fd, self->r, ~0U, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(-EINVAL, mbox_sendv(fd, self->s, 1, 0x4, 0));
	EXPECT_EQ(-EINVAL, mbox_sendv(fd, self->s, 1, 0x80000000U, 0));
	EXPECT_EQ(-EINVAL, mbox_recvv(fd, self->r, 1, 0x4, 0));
	EXPECT_EQ(-EINVAL, mbox_sendv(fd, self->s, 1,
				      MBOX_MSG_DONTWAIT | MBOX_MSG_DEADLINE, now_ns()));
	EXPECT_EQ(-EINVAL, mbox_recvv(fd, self->r, 1, 0, now_ns() + MS(10)));
	EXPECT_EQ(-EFAULT, mbox_ioctl(fd, MBOXIO_SENDV, mbox_bad_ptr()));
	EXPECT_EQ(-EFAULT, mbox_sendv(fd, mbox_bad_ptr(), 1, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(-EFAULT, mbox_recvv(fd, mbox_bad_ptr(), 1, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(0U, queued(fd));
	/* MBOX_BATCH_MAX itself is allowed. */
	EXPECT_EQ(4, mbox_sendv(fd, self->s, 4, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(4, mbox_recvv(fd, self->r, 4, MBOX_MSG_DONTWAIT, 0));
	memset(big, 0, sizeof(big));
	EXPECT_EQ(4, mbox_sendv(fd, big, MBOX_BATCH_MAX, MBOX_MSG_DONTWAIT, 0));
	close(fd);
}

TEST_F(batch, sendv_bad_priority)
{
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 32);
	ASSERT_LE(0, fd);
	/* A bad first element is the batch's error. */
	self->s[0].priority = MBOX_PRIO_MAX;
	EXPECT_EQ(-EINVAL, mbox_sendv(fd, self->s, 3, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(0U, queued(fd));
	/* A bad later element ends the batch before it. */
	self->s[0].priority = 0;
	self->s[2].priority = 0x80000000U;
	EXPECT_EQ(2, mbox_sendv(fd, self->s, 5, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(2U, queued(fd));
	EXPECT_EQ(2, mbox_recvv(fd, self->r, 8, MBOX_MSG_DONTWAIT, 0));
	EXPECT_STREQ("m0", self->bufs[0]);
	EXPECT_STREQ("m1", self->bufs[1]);
	close(fd);
}

/* An element's priority is output only: whatever it held is overwritten. */
TEST_F(batch, recvv_priority_is_output)
{
	int fd, i;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 32);
	ASSERT_LE(0, fd);
	self->s[1].priority = 7;
	ASSERT_EQ(4, mbox_sendv(fd, self->s, 4, 0, 0));
	for (i = 0; i < 4; i++)
		self->r[i].priority = 0xdead;
	EXPECT_EQ(4, mbox_recvv(fd, self->r, 4, MBOX_MSG_DONTWAIT, 0));
	EXPECT_STREQ("m1", self->bufs[0]);
	EXPECT_EQ(7U, self->r[0].priority);
	for (i = 1; i < 4; i++) {
		EXPECT_EQ(0U, self->r[i].priority);
	}
	EXPECT_STREQ("m0", self->bufs[1]);
	EXPECT_STREQ("m2", self->bufs[2]);
	close(fd);
}

TEST_F(batch, sendv_element_too_long)
{
	char big[40];
	int fd;

	MBOX_SKIP_GUARD();
	memset(big, 'L', sizeof(big));
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 32);
	ASSERT_LE(0, fd);
	self->s[0].buf = (uintptr_t)big;
	self->s[0].len = 33;
	EXPECT_EQ(-EMSGSIZE, mbox_sendv(fd, self->s, 3, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(0U, queued(fd));
	self->s[0].len = 32;
	self->s[1].buf = (uintptr_t)big;
	self->s[1].len = 33;
	EXPECT_EQ(1, mbox_sendv(fd, self->s, 3, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(1U, queued(fd));
	/* A bad payload pointer later on also just ends the batch. */
	self->s[1].len = 2;
	self->s[2].buf = (uintptr_t)mbox_bad_ptr();
	EXPECT_EQ(2, mbox_sendv(fd, self->s, 4, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(3U, queued(fd));
	close(fd);
}

TEST_F(batch, sendv_stops_at_capacity)
{
	struct mboxio_stat st;
	int fd, i;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 32);
	ASSERT_LE(0, fd);
	EXPECT_EQ(4, mbox_sendv(fd, self->s, 10, MBOX_MSG_DONTWAIT, 0));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(4U, st.queued);
	EXPECT_EQ(4U, st.sent);
	EXPECT_EQ(8U, st.queued_bytes);
	/* Full: the first element cannot go. */
	EXPECT_EQ(-EAGAIN, mbox_sendv(fd, self->s, 10, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(4, mbox_recvv(fd, self->r, 16, MBOX_MSG_DONTWAIT, 0));
	for (i = 0; i < 4; i++) {
		char want[8];

		snprintf(want, sizeof(want), "m%d", i);
		EXPECT_STREQ(want, self->bufs[i]);
	}

	/* Without DONTWAIT: only the first may wait; it need not, the rest never do. */
	EXPECT_EQ(4, mbox_sendv(fd, self->s, 10, 0, 0));
	EXPECT_EQ(4U, queued(fd));
	close(fd);
}

TEST_F(batch, recvv_fewer_queued)
{
	struct mboxio_stat st;
	pid_t pid;
	int fd, i;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 32);
	ASSERT_LE(0, fd);
	/* Three from us, then two from an unprivileged child. */
	ASSERT_EQ(3, mbox_sendv(fd, self->s, 3, 0, 0));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(mbox_become(USER_UID, USER_GID, 0, NULL) == 0);
		CHILD_CHECK(mbox_sendv(fd, &self->s[3], 2, 0, 0) == 2);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_reap(pid));

	EXPECT_EQ(5, mbox_recvv(fd, self->r, 8, 0, 0));
	for (i = 0; i < 5; i++) {
		char want[8];

		snprintf(want, sizeof(want), "m%d", i);
		EXPECT_STREQ(want, self->bufs[i]);
		EXPECT_EQ(2U, self->r[i].len);
		EXPECT_EQ(i < 3 ? getpid() : pid, self->r[i].pid);
		EXPECT_EQ(i < 3 ? geteuid() : USER_UID, self->r[i].uid);
		EXPECT_EQ(i < 3 ? getegid() : USER_GID, self->r[i].gid);
		EXPECT_EQ((uint64_t)i + 1, self->r[i].seq);
		EXPECT_EQ(0U, self->r[i].priority);
		EXPECT_EQ(sizeof(self->bufs[i]), self->r[i].size);
	}
	/* The elements past the end were left alone. */
	EXPECT_EQ(0xdeadbeefU, self->r[5].len);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.queued);
	EXPECT_EQ(5U, st.received);
	/* Empty now. */
	EXPECT_EQ(-EAGAIN, mbox_recvv(fd, self->r, 8, MBOX_MSG_DONTWAIT, 0));
	close(fd);
}

TEST_F(batch, recvv_first_too_small)
{
	char small[4];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 32);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "0123456789", 10, 0, 0));
	ASSERT_EQ(0, mbox_send(fd, "ab", 2, 0, 0));
	self->r[0].buf = (uintptr_t)small;
	self->r[0].size = sizeof(small);
	EXPECT_EQ(-EMSGSIZE, mbox_recvv(fd, self->r, 4, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(10U, self->r[0].len);
	EXPECT_EQ(2U, queued(fd));
	/* The message stayed first in line. */
	self->r[0].buf = (uintptr_t)self->bufs[0];
	self->r[0].size = sizeof(self->bufs[0]);
	EXPECT_EQ(2, mbox_recvv(fd, self->r, 4, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(0, memcmp(self->bufs[0], "0123456789", 10));
	EXPECT_EQ(10U, self->r[0].len);
	EXPECT_EQ(2U, self->r[1].len);
	close(fd);
}

TEST_F(batch, recvv_later_too_small)
{
	char small[4];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 32);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "ab", 2, 0, 0));
	ASSERT_EQ(0, mbox_send(fd, "cd", 2, 0, 0));
	ASSERT_EQ(0, mbox_send(fd, "0123456789", 10, 0, 0));
	ASSERT_EQ(0, mbox_send(fd, "ef", 2, 0, 0));
	self->r[2].buf = (uintptr_t)small;
	self->r[2].size = sizeof(small);
	EXPECT_EQ(2, mbox_recvv(fd, self->r, 4, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(10U, self->r[2].len);
	EXPECT_EQ(0xdeadbeefU, self->r[3].len);
	EXPECT_EQ(2U, queued(fd));
	EXPECT_EQ(10, mbox_recv(fd, self->bufs[5], 32, MBOX_MSG_DONTWAIT, 0, NULL));
	EXPECT_EQ(0, memcmp(self->bufs[5], "0123456789", 10));
	close(fd);
}

TEST_F(batch, recvv_later_bad_buffer_puts_back)
{
	struct mboxio_recv r;
	char buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 32);
	ASSERT_LE(0, fd);
	ASSERT_EQ(3, mbox_sendv(fd, self->s, 3, 0, 0));
	self->r[1].buf = (uintptr_t)mbox_bad_ptr();
	EXPECT_EQ(1, mbox_recvv(fd, self->r, 3, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(2U, queued(fd));
	EXPECT_EQ(2, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, &r));
	EXPECT_EQ(0, memcmp(buf, "m1", 2));
	EXPECT_EQ(2U, r.seq);
	close(fd);
}

TEST_F(batch, access_modes_ebadf)
{
	const char *name = mbox_new_name("batchacc");
	int fd, rfd, wfd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 8, 32);
	ASSERT_LE(0, fd);
	rfd = mbox_open(self->dev, name, MBOX_FD_RECV);
	ASSERT_LE(0, rfd);
	wfd = mbox_open(self->dev, name, MBOX_FD_SEND);
	ASSERT_LE(0, wfd);
	ASSERT_EQ(0, mbox_unlink(self->dev, name));
	EXPECT_EQ(-EBADF, mbox_sendv(rfd, self->s, 2, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(-EBADF, mbox_sendv(rfd, self->s, 0, 0, 0));
	EXPECT_EQ(2, mbox_sendv(wfd, self->s, 2, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(-EBADF, mbox_recvv(wfd, self->r, 2, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(-EBADF, mbox_recvv(wfd, self->r, 0, 0, 0));
	EXPECT_EQ(2U, queued(fd));
	EXPECT_EQ(2, mbox_recvv(rfd, self->r, 2, MBOX_MSG_DONTWAIT, 0));
	close(rfd);
	close(wfd);
	close(fd);
}

TEST_F(batch, rendezvous_one_waiting_receiver)
{
	struct mboxio_stat st;
	char buf[32];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 32);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL) == 2);
		CHILD_CHECK(!memcmp(buf, "m0", 2));
		_exit(0);
	}
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 1));
	EXPECT_EQ(1, mbox_sendv(fd, self->s, 3, 0, 0));
	EXPECT_EQ(0, mbox_reap(pid));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(1U, st.sent);
	EXPECT_EQ(0U, st.waiting_senders);
	/* Nobody waiting: a non-waiting batch moves nothing. */
	EXPECT_EQ(-EAGAIN, mbox_sendv(fd, self->s, 3, MBOX_MSG_DONTWAIT, 0));
	close(fd);
}

TEST_F(batch, rendezvous_recvv_takes_one_offer)
{
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 32);
	ASSERT_LE(0, fd);
	pid = mbox_fork_sender(fd, "offer", 5);
	ASSERT_LE(0, pid);
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));
	EXPECT_EQ(1, mbox_recvv(fd, self->r, 4, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(5U, self->r[0].len);
	EXPECT_EQ(pid, self->r[0].pid);
	EXPECT_EQ(0, memcmp(self->bufs[0], "offer", 5));
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

TEST_F(batch, first_element_waits)
{
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 32);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 1) == 0);
		CHILD_CHECK(mbox_send_str(fd, "late") == 0);
		_exit(0);
	}
	EXPECT_EQ(1, mbox_recvv(fd, self->r, 4, MBOX_MSG_DEADLINE, now_ns() + MS(10000)));
	EXPECT_EQ(0, memcmp(self->bufs[0], "late", 4));
	EXPECT_EQ(pid, self->r[0].pid);
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

TEST_F(batch, timed_first_element)
{
	uint64_t deadline;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 32);
	ASSERT_LE(0, fd);
	deadline = now_ns() + MS(50);
	EXPECT_EQ(-ETIMEDOUT, mbox_recvv(fd, self->r, 4, MBOX_MSG_DEADLINE, deadline));
	EXPECT_LE(deadline, now_ns());
	EXPECT_EQ(2, mbox_sendv(fd, self->s, 4, MBOX_MSG_DEADLINE, now_ns() + MS(5000)));
	deadline = now_ns() + MS(50);
	EXPECT_EQ(-ETIMEDOUT, mbox_sendv(fd, self->s, 4, MBOX_MSG_DEADLINE, deadline));
	EXPECT_LE(deadline, now_ns());
	EXPECT_EQ(-ETIMEDOUT, mbox_sendv(fd, self->s, 1, MBOX_MSG_DEADLINE, 1));
	EXPECT_EQ(2U, queued(fd));
	/* O_NONBLOCK applies to batches too. */
	ASSERT_EQ(0, fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK));
	EXPECT_EQ(-EAGAIN, mbox_sendv(fd, self->s, 4, 0, 0));
	close(fd);
}

TEST_F(batch, shutdown)
{
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 32);
	ASSERT_LE(0, fd);
	ASSERT_EQ(3, mbox_sendv(fd, self->s, 3, 0, 0));
	ASSERT_EQ(0, mbox_shutdown(fd));
	EXPECT_EQ(-EPIPE, mbox_sendv(fd, self->s, 3, 0, 0));
	/* Drain what is queued, then EPIPE. */
	EXPECT_EQ(3, mbox_recvv(fd, self->r, 8, 0, 0));
	EXPECT_EQ(-EPIPE, mbox_recvv(fd, self->r, 8, 0, 0));
	close(fd);
}

TEST_F(batch, order_across_batches)
{
	struct mboxio_recvmsg r[10];
	char bufs[10][8];
	int fd, i;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 16, 32);
	ASSERT_LE(0, fd);
	ASSERT_EQ(5, mbox_sendv(fd, self->s, 5, 0, 0));
	ASSERT_EQ(0, mbox_send(fd, "single", 6, 0, 0));
	ASSERT_EQ(4, mbox_sendv(fd, &self->s[5], 4, 0, 0));

	memset(r, 0, sizeof(r));
	memset(bufs, 0, sizeof(bufs));
	for (i = 0; i < 10; i++) {
		r[i].buf = (uintptr_t)bufs[i];
		r[i].size = sizeof(bufs[i]);
	}
	EXPECT_EQ(3, mbox_recvv(fd, r, 3, 0, 0));
	EXPECT_EQ(7, mbox_recvv(fd, &r[3], 7, 0, 0));
	for (i = 0; i < 10; i++) {
		char want[8];

		if (i < 5)
			snprintf(want, sizeof(want), "m%d", i);
		else if (i == 5)
			snprintf(want, sizeof(want), "single");
		else
			snprintf(want, sizeof(want), "m%d", i - 1);
		EXPECT_STREQ(want, bufs[i]);
		EXPECT_EQ((uint64_t)i + 1, r[i].seq);
	}
	close(fd);
}

TEST_F(batch, mixed_sizes_and_empty_messages)
{
	struct mboxio_stat st;
	char payload[32];
	int fd, i;

	MBOX_SKIP_GUARD();
	memset(payload, 'p', sizeof(payload));
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 32);
	ASSERT_LE(0, fd);
	for (i = 0; i < 5; i++) {
		self->s[i].buf = (uintptr_t)payload;
		self->s[i].len = i * 8;	/* 0, 8, 16, 24, 32 */
	}
	EXPECT_EQ(5, mbox_sendv(fd, self->s, 5, 0, 0));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(80U, st.queued_bytes);
	EXPECT_EQ(5, mbox_recvv(fd, self->r, 5, 0, 0));
	for (i = 0; i < 5; i++)
		EXPECT_EQ((uint32_t)i * 8, self->r[i].len);
	close(fd);
}

TEST_HARNESS_MAIN
