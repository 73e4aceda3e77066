// SPDX-License-Identifier: GPL-2.0
/*
 * mbox message transfer: rendezvous (capacity 0) and bounded mailboxes,
 * message sizes, EMSGSIZE on both sides, zero-length messages, faults while
 * copying, and the MBOXIO_STAT counters.
 */
#define _GNU_SOURCE
#include "mbox_helpers.h"
#include "../kselftest_harness.h"

MBOX_FIXTURE(msg)

static int anon(int dev, uint32_t capacity, uint32_t msg_size)
{
	return mbox_create(dev, NULL, MBOX_FD_RDWR, 0600, capacity, msg_size);
}

/*
 * Child: one blocking send of @msg, then report the result on @sock as a
 * byte: 0 for success, else the errno.
 */
static void child_send(int fd, int sock, const void *msg, uint32_t len,
		       uint32_t flags, uint64_t deadline)
{
	int ret = mbox_send(fd, msg, len, flags, deadline);

	sync_post(sock, (char)-ret);
	_exit(0);
}

TEST_F(msg, rendezvous_send_blocks_until_taken)
{
	struct mboxio_stat st;
	struct mboxio_recv r;
	char buf[32];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = anon(self->dev, 0, 32);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		child_send(fd, self->sv[1], "ping", 4, 0, 0);

	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));
	/* On offer, not queued, not sent: the sender is still inside send. */
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.capacity);
	EXPECT_EQ(0U, st.queued);
	EXPECT_EQ(0U, st.sent);
	EXPECT_EQ(0U, st.received);
	usleep(20000);
	EXPECT_EQ(0, sync_ready(self->sv[0]));

	ASSERT_EQ(4, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(0, memcmp(buf, "ping", 4));
	EXPECT_EQ(pid, r.pid);
	EXPECT_EQ(1U, r.seq);
	/* Now the send returns 0. */
	EXPECT_EQ(0, sync_wait(self->sv[0]));
	EXPECT_EQ(0, mbox_reap(pid));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(1U, st.sent);
	EXPECT_EQ(1U, st.received);
	EXPECT_EQ(0U, st.waiting_senders);
	close(fd);
}

TEST_F(msg, rendezvous_dontwait_send_without_receiver)
{
	struct mboxio_stat st;
	char buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = anon(self->dev, 0, 8);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EAGAIN, mbox_send(fd, "a", 1, MBOX_MSG_DONTWAIT, 0));
	/* Nothing was left on offer. */
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.waiting_senders);
	EXPECT_EQ(0U, st.sent);
	EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	EXPECT_EQ(-ETIMEDOUT, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DEADLINE,
					now_ns() + MS(50), NULL));
	close(fd);
}

TEST_F(msg, rendezvous_dontwait_send_to_waiting_receiver)
{
	struct mboxio_recv r;
	char buf[8];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = anon(self->dev, 0, 8);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(mbox_recv(fd, buf, sizeof(buf), 0, 0, &r) == 3);
		CHILD_CHECK(memcmp(buf, "abc", 3) == 0);
		CHILD_CHECK(r.pid == getppid());
		_exit(0);
	}
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 1));
	EXPECT_EQ(0, mbox_send(fd, "abc", 3, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(0, mbox_reap(pid));
	/* The receiver is gone: DONTWAIT fails again. */
	EXPECT_EQ(-EAGAIN, mbox_send(fd, "abc", 3, MBOX_MSG_DONTWAIT, 0));
	close(fd);
}

TEST_F(msg, rendezvous_dontwait_recv_from_waiting_sender)
{
	struct mboxio_recv r;
	char buf[8];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = anon(self->dev, 0, 8);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		child_send(fd, self->sv[1], "xyz", 3, 0, 0);
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));
	EXPECT_EQ(3, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, &r));
	EXPECT_EQ(pid, r.pid);
	EXPECT_EQ(0, sync_wait(self->sv[0]));
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

TEST_F(msg, rendezvous_timed_send_without_receiver)
{
	struct mboxio_stat st;
	uint64_t deadline;
	char buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = anon(self->dev, 0, 8);
	ASSERT_LE(0, fd);
	deadline = now_ns() + MS(100);
	EXPECT_EQ(-ETIMEDOUT, mbox_send(fd, "t", 1, MBOX_MSG_DEADLINE, deadline));
	EXPECT_LE(deadline, now_ns());
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.waiting_senders);
	EXPECT_EQ(0U, st.sent);
	EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	close(fd);
}

TEST_F(msg, rendezvous_emsgsize_keeps_offer)
{
	char big[100], buf[100];
	struct mboxio_stat st;
	struct mboxio_recv r;
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	memset(big, 'B', sizeof(big));
	fd = anon(self->dev, 0, sizeof(big));
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		child_send(fd, self->sv[1], big, sizeof(big), 0, 0);
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));
	EXPECT_EQ(-EMSGSIZE, mbox_recv(fd, buf, 10, 0, 0, &r));
	EXPECT_EQ(100U, r.len);
	/* The sender is still waiting, its message still on offer. */
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(1U, st.waiting_senders);
	EXPECT_EQ(0U, st.received);
	EXPECT_EQ(0, sync_ready(self->sv[0]));
	EXPECT_EQ(100, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(0, memcmp(buf, big, sizeof(big)));
	EXPECT_EQ(1U, r.seq);
	EXPECT_EQ(0, sync_wait(self->sv[0]));
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

/*
 * The claim completes a rendezvous send; a receiver that then faults puts
 * the message into the mailbox for the next receiver, who gets it once,
 * with the number the faulting receive had.
 */
TEST_F(msg, rendezvous_recv_fault_keeps_message)
{
	struct mboxio_stat st;
	struct mboxio_recv r;
	char buf[16];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = anon(self->dev, 0, 16);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		child_send(fd, self->sv[1], "fault", 5, 0, 0);
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));
	EXPECT_EQ(-EFAULT, mbox_recv(fd, mbox_bad_ptr(), sizeof(buf), 0, 0, NULL));
	EXPECT_EQ(0, sync_wait(self->sv[0]));
	EXPECT_EQ(0, mbox_reap(pid));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.waiting_senders);
	EXPECT_EQ(1U, st.queued);
	EXPECT_EQ(1U, st.sent);
	EXPECT_EQ(0U, st.received);
	EXPECT_EQ(5, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, &r));
	EXPECT_EQ(0, memcmp(buf, "fault", 5));
	EXPECT_EQ(1U, r.seq);
	EXPECT_EQ(pid, r.pid);
	EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0,
				     NULL));
	close(fd);
}

TEST_F(msg, bounded_capacity_and_fifo)
{
	const uint32_t cap = 5;
	struct mboxio_stat st;
	struct mboxio_recv r;
	char buf[16];
	uint32_t i;
	int fd;

	MBOX_SKIP_GUARD();
	fd = anon(self->dev, cap, 16);
	ASSERT_LE(0, fd);
	for (i = 0; i < cap; i++) {
		snprintf(buf, sizeof(buf), "m%u", i);
		ASSERT_EQ(0, mbox_send(fd, buf, strlen(buf), MBOX_MSG_DONTWAIT, 0));
	}
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(cap, st.queued);
	EXPECT_EQ(cap, st.sent);
	/* The n+1th would wait. */
	EXPECT_EQ(-EAGAIN, mbox_send(fd, "over", 4, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(-ETIMEDOUT, mbox_send(fd, "over", 4, MBOX_MSG_DEADLINE,
					now_ns() + MS(30)));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(cap, st.queued);
	EXPECT_EQ(cap, st.sent);
	for (i = 0; i < cap; i++) {
		char want[16];

		snprintf(want, sizeof(want), "m%u", i);
		ASSERT_EQ((int)strlen(want),
			  mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, &r));
		EXPECT_EQ(0, memcmp(buf, want, strlen(want)));
		EXPECT_EQ(i + 1, r.seq);
		EXPECT_EQ(getpid(), r.pid);
	}
	EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	close(fd);
}

TEST_F(msg, bounded_send_blocks_when_full)
{
	struct mboxio_stat st;
	char buf[16];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = anon(self->dev, 2, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "one"));
	ASSERT_EQ(0, mbox_send_str(fd, "two"));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		child_send(fd, self->sv[1], "three", 5, 0, 0);
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(2U, st.queued);
	EXPECT_EQ(2U, st.sent);
	usleep(20000);
	EXPECT_EQ(0, sync_ready(self->sv[0]));
	/* One receive makes room: the blocked send completes. */
	EXPECT_EQ(3, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_EQ(0, memcmp(buf, "one", 3));
	EXPECT_EQ(0, sync_wait(self->sv[0]));
	EXPECT_EQ(0, mbox_reap(pid));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(2U, st.queued);
	EXPECT_EQ(3U, st.sent);
	EXPECT_EQ(0U, st.waiting_senders);
	EXPECT_EQ(3, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_EQ(0, memcmp(buf, "two", 3));
	EXPECT_EQ(5, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_EQ(0, memcmp(buf, "three", 5));
	close(fd);
}

TEST_F(msg, bounded_recv_blocks_until_send)
{
	struct mboxio_recv r;
	char buf[16];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = anon(self->dev, 1, 16);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int n = mbox_recv(fd, buf, sizeof(buf), 0, 0, &r);

		CHILD_CHECK(n == 4 && memcmp(buf, "wake", 4) == 0);
		CHILD_CHECK(r.pid == getppid() && r.seq == 1);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 1));
	EXPECT_EQ(0, mbox_send_str(fd, "wake"));
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

TEST_F(msg, msg_size_limit_on_send)
{
	char buf[33];
	struct mboxio_stat st;
	int fd;

	MBOX_SKIP_GUARD();
	memset(buf, 'z', sizeof(buf));
	fd = anon(self->dev, 4, 32);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EMSGSIZE, mbox_send(fd, buf, 33, 0, 0));
	EXPECT_EQ(-EMSGSIZE, mbox_send(fd, buf, UINT32_MAX, MBOX_MSG_DONTWAIT, 0));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.queued);
	EXPECT_EQ(0U, st.sent);
	EXPECT_EQ(0, mbox_send(fd, buf, 32, 0, 0));
	EXPECT_EQ(32, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));
	close(fd);
}

TEST_F(msg, emsgsize_on_recv_keeps_message)
{
	struct mboxio_stat st;
	struct mboxio_recv r;
	char buf[64];
	int fd;

	MBOX_SKIP_GUARD();
	fd = anon(self->dev, 4, 64);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "0123456789abcdef"));
	ASSERT_EQ(0, mbox_send_str(fd, "second"));
	EXPECT_EQ(-EMSGSIZE, mbox_recv(fd, buf, 15, 0, 0, &r));
	EXPECT_EQ(16U, r.len);
	EXPECT_EQ(-EMSGSIZE, mbox_recv(fd, NULL, 0, MBOX_MSG_DONTWAIT, 0, &r));
	EXPECT_EQ(16U, r.len);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(2U, st.queued);
	EXPECT_EQ(0U, st.received);
	/* Exactly the right size works and is the first message. */
	EXPECT_EQ(16, mbox_recv(fd, buf, 16, 0, 0, &r));
	EXPECT_EQ(0, memcmp(buf, "0123456789abcdef", 16));
	EXPECT_EQ(16U, r.len);
	EXPECT_EQ(1U, r.seq);
	EXPECT_EQ(6, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(2U, r.seq);
	close(fd);
}

TEST_F(msg, zero_length_messages)
{
	struct mboxio_stat st;
	struct mboxio_recv r;
	char buf[8] = "unused";
	int fd;

	MBOX_SKIP_GUARD();
	fd = anon(self->dev, 4, 8);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, mbox_send(fd, buf, 0, 0, 0));
	EXPECT_EQ(0, mbox_send(fd, buf, 0, 0, 0));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(2U, st.queued);
	EXPECT_EQ(0U, st.queued_bytes);
	/* A zero-size buffer fits a zero-length message. */
	EXPECT_EQ(0, mbox_recv(fd, buf, 0, 0, 0, &r));
	EXPECT_EQ(0U, r.len);
	EXPECT_EQ(1U, r.seq);
	EXPECT_EQ(0, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(0U, r.len);
	EXPECT_EQ(2U, r.seq);
	EXPECT_EQ(0, memcmp(buf, "unused", 6));
	EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	close(fd);
}

TEST_F(msg, zero_length_rendezvous)
{
	struct mboxio_recv r;
	char buf[8];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = anon(self->dev, 0, 8);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		child_send(fd, self->sv[1], buf, 0, 0, 0);
	EXPECT_EQ(0, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(0U, r.len);
	EXPECT_EQ(pid, r.pid);
	EXPECT_EQ(0, sync_wait(self->sv[0]));
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

TEST_F(msg, large_message_roundtrip)
{
	struct mboxio_info info;
	uint32_t size, i;
	struct mboxio_recv r;
	unsigned char *a, *b;
	int fd;

	MBOX_SKIP_GUARD();
	ASSERT_EQ(0, mbox_info(self->dev, &info));
	size = info.max_msg_size < 65536 ? info.max_msg_size : 65536;
	a = malloc(size);
	b = malloc(size);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	for (i = 0; i < size; i++)
		a[i] = (unsigned char)(i * 7 + 3);
	fd = anon(self->dev, 2, size);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, a, size, 0, 0));
	ASSERT_EQ((int)size, mbox_recv(fd, b, size, 0, 0, &r));
	EXPECT_EQ(0, memcmp(a, b, size));
	EXPECT_EQ(size, r.len);
	free(a);
	free(b);
	close(fd);
}

TEST_F(msg, recv_fault_keeps_message)
{
	long pg = sysconf(_SC_PAGESIZE);
	char msg[64], buf[64];
	struct mboxio_stat st;
	struct mboxio_recv r;
	char *page;
	int fd;

	MBOX_SKIP_GUARD();
	memset(msg, 'q', sizeof(msg));
	fd = anon(self->dev, 4, sizeof(msg));
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, msg, sizeof(msg), 0, 0));
	ASSERT_EQ(0, mbox_send_str(fd, "next"));
	EXPECT_EQ(-EFAULT, mbox_recv(fd, mbox_bad_ptr(), sizeof(buf), 0, 0, NULL));
	/* A buffer whose tail runs into an unmapped page. */
	page = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	ASSERT_EQ(0, munmap(page + pg, pg));
	EXPECT_EQ(-EFAULT, mbox_recv(fd, page + pg - 16, sizeof(buf),
				     MBOX_MSG_DONTWAIT, 0, NULL));
	munmap(page, pg);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(2U, st.queued);
	EXPECT_EQ(0U, st.received);
	/* Still at the head, and the failures consumed no sequence number. */
	EXPECT_EQ(64, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(0, memcmp(buf, msg, sizeof(msg)));
	EXPECT_EQ(1U, r.seq);
	EXPECT_EQ(4, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(2U, r.seq);
	close(fd);
}

/*
 * The results are written before the message is taken: a struct the kernel
 * can read but not write fails the receive with EFAULT, and the message
 * stays first in line with its number.
 */
TEST_F(msg, recv_results_unwritable_takes_nothing)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct mboxio_recvmsg *rm;
	struct mboxio_batch b;
	struct mboxio_stat st;
	struct mboxio_recv *r, ok;
	char buf[16];
	void *page;
	int fd;

	MBOX_SKIP_GUARD();
	fd = anon(self->dev, 4, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "first", 6, 0, 0));
	ASSERT_EQ(0, mbox_send(fd, "second", 7, 0, 0));

	page = mmap(NULL, pg, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	r = page;
	r->buf = (uintptr_t)buf;
	r->size = sizeof(buf);
	rm = (void *)((char *)page + sizeof(*r));
	rm->buf = (uintptr_t)buf;
	rm->size = sizeof(buf);
	ASSERT_EQ(0, mprotect(page, pg, PROT_READ));
	EXPECT_EQ(-EFAULT, mbox_ioctl(fd, MBOXIO_RECV, r));
	memset(&b, 0, sizeof(b));
	b.vec = (uintptr_t)rm;
	b.count = 1;
	EXPECT_EQ(-EFAULT, mbox_ioctl(fd, MBOXIO_RECVV, &b));
	munmap(page, pg);

	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(2U, st.queued);
	EXPECT_EQ(0U, st.received);
	EXPECT_EQ(6, mbox_recv(fd, buf, sizeof(buf), 0, 0, &ok));
	EXPECT_EQ(0, memcmp(buf, "first", 6));
	EXPECT_EQ(1U, ok.seq);
	close(fd);
}

/*
 * A message being copied out keeps its slot: a blocked sender stays
 * blocked through a receive that faults, the message goes back first in
 * line, and the mailbox never holds more than its capacity. Draining it
 * gives every message once, in order.
 */
TEST_F(msg, fault_on_full_mailbox_keeps_slot)
{
	struct mboxio_stat st;
	struct mboxio_recv r;
	char buf[16];
	int fd, sv[2];
	pid_t pid;

	MBOX_SKIP_GUARD();
	fd = anon(self->dev, 1, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sync_pair(sv));
	ASSERT_EQ(0, mbox_send(fd, "one", 4, 0, 0));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(sync_post(sv[1], 'g') == 0);
		CHILD_CHECK(mbox_send(fd, "two", 4, 0, 0) == 0);
		_exit(0);
	}
	ASSERT_EQ('g', sync_wait(sv[0]));
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));

	EXPECT_EQ(-EFAULT, mbox_recv(fd, mbox_bad_ptr(), sizeof(buf), 0, 0,
				     NULL));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(1U, st.queued);
	EXPECT_EQ(1U, st.waiting_senders);
	EXPECT_EQ(0U, st.received);
	EXPECT_EQ(-EAGAIN, mbox_send(fd, "x", 1, MBOX_MSG_DONTWAIT, 0));

	EXPECT_EQ(4, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_STREQ("one", buf);
	EXPECT_EQ(1U, r.seq);
	ASSERT_EQ(0, mbox_reap(pid));
	EXPECT_EQ(-EAGAIN, mbox_send(fd, "x", 1, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(4, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_STREQ("two", buf);
	EXPECT_EQ(2U, r.seq);
	EXPECT_EQ(0, mbox_send(fd, "x", 1, MBOX_MSG_DONTWAIT, 0));
	close(sv[0]);
	close(sv[1]);
	close(fd);
}

TEST_F(msg, send_fault_delivers_nothing)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct mboxio_stat st;
	char *page;
	int fd;

	MBOX_SKIP_GUARD();
	fd = anon(self->dev, 4, 64);
	ASSERT_LE(0, fd);
	page = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	ASSERT_EQ(0, munmap(page + pg, pg));
	EXPECT_EQ(-EFAULT, mbox_send(fd, page + pg - 16, 32, 0, 0));
	munmap(page, pg);
	EXPECT_EQ(-EFAULT, mbox_send(fd, mbox_bad_ptr(), 1, 0, 0));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.queued);
	EXPECT_EQ(0U, st.sent);
	close(fd);
}

TEST_F(msg, stat_counters)
{
	const char *name = mbox_new_name("stat");
	struct mboxio_stat st;
	char buf[16];
	int fd, ro;

	MBOX_SKIP_GUARD();
	umask(022);
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0640, 3, 16);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(3U, st.capacity);
	EXPECT_EQ(16U, st.msg_size);
	EXPECT_EQ(0640U, st.mode);
	EXPECT_EQ(geteuid(), st.uid);
	EXPECT_EQ(getegid(), st.gid);
	EXPECT_EQ(0U, st.flags);
	EXPECT_EQ(0U, st.queued);
	EXPECT_EQ(0U, st.waiting_senders);
	EXPECT_EQ(0U, st.waiting_receivers);
	EXPECT_EQ(0U, st.leased);
	EXPECT_EQ(0U, st.queued_bytes);
	EXPECT_EQ(0U, st.sent);
	EXPECT_EQ(0U, st.received);

	ASSERT_EQ(0, mbox_send(fd, "a", 1, 0, 0));
	ASSERT_EQ(0, mbox_send(fd, "bb", 2, 0, 0));
	ASSERT_EQ(0, mbox_send(fd, "ccc", 3, 0, 0));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(3U, st.queued);
	EXPECT_EQ(6U, st.queued_bytes);
	EXPECT_EQ(3U, st.sent);
	EXPECT_EQ(0U, st.received);
	ASSERT_EQ(1, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));

	/* Any mailbox fd may stat, read-only included. */
	ro = mbox_open(self->dev, name, MBOX_FD_RECV);
	ASSERT_LE(0, ro);
	ASSERT_EQ(0, mbox_stat(ro, &st));
	EXPECT_EQ(2U, st.queued);
	EXPECT_EQ(5U, st.queued_bytes);
	EXPECT_EQ(3U, st.sent);
	EXPECT_EQ(1U, st.received);
	EXPECT_EQ(0U, st.leased);
	close(ro);

	/* Failed calls change no counter. */
	EXPECT_EQ(-EMSGSIZE, mbox_send(fd, buf, 17, 0, 0));
	EXPECT_EQ(-EMSGSIZE, mbox_recv(fd, buf, 1, 0, 0, NULL));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(3U, st.sent);
	EXPECT_EQ(1U, st.received);
	ASSERT_EQ(0, mbox_shutdown(fd));
	ASSERT_EQ(0, mbox_unlink(self->dev, name));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ((__u32)(MBOX_STAT_SHUTDOWN | MBOX_STAT_UNLINKED), st.flags);
	close(fd);
}

TEST_HARNESS_MAIN
