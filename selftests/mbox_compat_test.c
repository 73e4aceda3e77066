// SPDX-License-Identifier: GPL-2.0
/*
 * mbox from a 32-bit process (built with -m32 -static; run on a 64-bit
 * kernel with IA32_EMULATION): every ioctl goes through compat_ioctl. The
 * structs have one layout for both, so the same calls must behave exactly
 * as they do for 64-bit callers: create, open, send, receive with its pid,
 * uid and seq, stat, 64-bit deadlines, batches, unlink.
 *
 * Where no 32-bit toolchain is available the Makefile builds this file
 * natively with MBOX_NO_COMPAT, and the test reports SKIP.
 */
#define _GNU_SOURCE
#include "mbox_helpers.h"
#include "../kselftest_harness.h"

/* The layouts the ABI promises, checked in the 32-bit build itself. */
_Static_assert(sizeof(struct mboxio_info) == 72, "mboxio_info");
_Static_assert(sizeof(struct mboxio_create) == 32, "mboxio_create");
_Static_assert(sizeof(struct mboxio_open) == 16, "mboxio_open");
_Static_assert(sizeof(struct mboxio_unlink) == 16, "mboxio_unlink");
_Static_assert(sizeof(struct mboxio_send) == 48, "mboxio_send");
_Static_assert(sizeof(struct mboxio_recv) == 104, "mboxio_recv");
_Static_assert(sizeof(struct mboxio_stat) == 72, "mboxio_stat");
_Static_assert(sizeof(struct mboxio_sendmsg) == 16, "mboxio_sendmsg");
_Static_assert(sizeof(struct mboxio_recvmsg) == 40, "mboxio_recvmsg");
_Static_assert(sizeof(struct mboxio_recvmsg_v2) == 48, "mboxio_recvmsg_v2");
_Static_assert(sizeof(struct mboxio_reply_recv) == 128, "mboxio_reply_recv");
_Static_assert(sizeof(struct mboxio_lease) == 24, "mboxio_lease");
_Static_assert(offsetof(struct mboxio_recv, lease_id) == 72, "mboxio_recv.lease_id");
_Static_assert(sizeof(struct mboxio_batch) == 32, "mboxio_batch");
_Static_assert(sizeof(struct mboxio_call) == 80, "mboxio_call");
_Static_assert(sizeof(struct mboxio_reply) == 24, "mboxio_reply");
_Static_assert(offsetof(struct mboxio_call, token) == 64, "mboxio_call.token");
_Static_assert(offsetof(struct mboxio_recv, seq) == 40, "mboxio_recv.seq");
_Static_assert(offsetof(struct mboxio_recv, priority) == 56, "mboxio_recv.priority");
_Static_assert(offsetof(struct mboxio_recvmsg, priority) == 28, "recvmsg.priority");
_Static_assert(offsetof(struct mboxio_stat, queued_bytes) == 40, "queued_bytes");

FIXTURE(compat) {
	MBOX_ENV_FIELDS;
};

FIXTURE_SETUP(compat)
{
	/* It may skip before MBOX_ENV_SETUP(): give the teardown nothing to undo. */
	self->sv[0] = self->sv[1] = -1;
	self->dev = -1;
#ifdef MBOX_NO_COMPAT
	SKIP(return, "built without a 32-bit toolchain (gcc-multilib)");
#endif
	MBOX_ENV_SETUP();
}

FIXTURE_TEARDOWN(compat)
{
	MBOX_ENV_TEARDOWN();
}

TEST_F(compat, is_32bit)
{
	MBOX_SKIP_GUARD();
	EXPECT_EQ(4U, sizeof(void *));
	EXPECT_EQ(4U, sizeof(long));
}

TEST_F(compat, info)
{
	struct mboxio_info info;

	MBOX_SKIP_GUARD();
	ASSERT_EQ(0, mbox_info(self->dev, &info));
	EXPECT_EQ((uint32_t)MBOX_ABI_VERSION, info.version);
	EXPECT_EQ((uint32_t)MBOX_NAME_MAX, info.name_max);
	EXPECT_EQ(MBOX_FD_ALL, info.fd_flags & MBOX_FD_ALL);
	EXPECT_EQ(MBOX_MSG_ALL, info.msg_flags & MBOX_MSG_ALL);
	EXPECT_LT(0U, info.max_capacity);
	/* Unknown commands and the other fd type's commands: ENOTTY. */
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->dev, MBOXIO_STAT, &info));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->dev, _IO(MBOX_IOCTL_TYPE, 0x7f), NULL));
}

TEST_F(compat, create_send_recv_stat_unlink)
{
	const char *name = mbox_new_name("compat");
	struct mboxio_recv r;
	struct mboxio_stat st;
	char buf[64];
	int fd, rd;

	MBOX_SKIP_GUARD();
	memset(buf, 'x', sizeof(buf));
	umask(022);
	fd = mbox_create(self->dev, name, MBOX_FD_SEND, 0640, 3, 64);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EEXIST, mbox_create(self->dev, name, MBOX_FD_SEND, 0640, 3, 64));
	rd = mbox_open(self->dev, name, MBOX_FD_RECV);
	ASSERT_LE(0, rd);

	ASSERT_EQ(0, mbox_send(fd, "thirty-two", 10, 0, 0));
	ASSERT_EQ(0, mbox_send(fd, "bits", 4, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(-EMSGSIZE, mbox_send(fd, buf, 65, 0, 0));
	EXPECT_EQ(-EBADF, mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL));

	ASSERT_EQ(0, mbox_stat(rd, &st));
	EXPECT_EQ(3U, st.capacity);
	EXPECT_EQ(64U, st.msg_size);
	EXPECT_EQ(0640U, st.mode);
	EXPECT_EQ(geteuid(), st.uid);
	EXPECT_EQ(getegid(), st.gid);
	EXPECT_EQ(0U, st.flags);
	EXPECT_EQ(2U, st.queued);
	EXPECT_EQ(0U, st.leased);
	EXPECT_EQ(14U, st.queued_bytes);
	EXPECT_EQ(2U, st.sent);
	EXPECT_EQ(0U, st.received);

	memset(buf, 0, sizeof(buf));
	memset(&r, 0xa5, sizeof(r));
	EXPECT_EQ(10, mbox_recv(rd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_STREQ("thirty-two", buf);
	EXPECT_EQ(10U, r.len);
	EXPECT_EQ(getpid(), r.pid);
	EXPECT_EQ(geteuid(), r.uid);
	EXPECT_EQ(getegid(), r.gid);
	EXPECT_EQ(1U, r.seq);
	/* Too small: EMSGSIZE with the length, through the compat path too. */
	EXPECT_EQ(-EMSGSIZE, mbox_recv(rd, buf, 2, 0, 0, &r));
	EXPECT_EQ(4U, r.len);
	EXPECT_EQ(4, mbox_recv(rd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(2U, r.seq);

	EXPECT_EQ(0, mbox_unlink(self->dev, name));
	ASSERT_EQ(0, mbox_stat(rd, &st));
	EXPECT_EQ((uint32_t)MBOX_STAT_UNLINKED, st.flags);
	EXPECT_EQ(2U, st.received);
	EXPECT_EQ(-ENOENT, mbox_open(self->dev, name, MBOX_FD_RECV));
	close(rd);
	close(fd);
}

TEST_F(compat, sender_pid_from_child)
{
	struct mboxio_recv r;
	char buf[8];
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 8);
	ASSERT_LE(0, fd);
	pid = mbox_fork_sender(fd, "rv32", 4);
	ASSERT_LE(0, pid);
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));
	EXPECT_EQ(4, mbox_recv(fd, buf, sizeof(buf), 0, 0, &r));
	EXPECT_EQ(pid, r.pid);
	EXPECT_EQ(1U, r.seq);
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

TEST_F(compat, deadlines_are_64bit)
{
	uint64_t deadline;
	char buf[8];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	/*
	 * A deadline beyond 2^32 ns must survive the trip: wait for the
	 * clock to pass it if this runs within 4.3 s of boot.
	 */
	while (now_ns() <= (1ULL << 32))
		usleep(10000);
	deadline = now_ns() + MS(50);
	EXPECT_EQ(-ETIMEDOUT, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DEADLINE,
					deadline, NULL));
	EXPECT_LE(deadline, now_ns());
	ASSERT_EQ(0, mbox_send(fd, "x", 1, MBOX_MSG_DEADLINE, now_ns() + MS(1000)));
	deadline = now_ns() + MS(50);
	EXPECT_EQ(-ETIMEDOUT, mbox_send(fd, "y", 1, MBOX_MSG_DEADLINE, deadline));
	EXPECT_LE(deadline, now_ns());
	EXPECT_EQ(-ETIMEDOUT, mbox_send(fd, "y", 1, MBOX_MSG_DEADLINE, 1));
	EXPECT_EQ(-EINVAL, mbox_send(fd, "y", 1, 0, deadline));
	EXPECT_EQ(-EINVAL, mbox_send(fd, "y", 1, 0x8, 0));
	close(fd);
}

TEST_F(compat, batches)
{
	struct mboxio_sendmsg s[3] = {
		{ .buf = (uintptr_t)"a", .len = 1 },
		{ .buf = (uintptr_t)"bb", .len = 2 },
		{ .buf = (uintptr_t)"ccc", .len = 3 },
	};
	struct mboxio_recvmsg r[4];
	char bufs[4][8];
	int fd, i;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 8);
	ASSERT_LE(0, fd);
	EXPECT_EQ(2, mbox_sendv(fd, s, 3, MBOX_MSG_DONTWAIT, 0));
	memset(r, 0, sizeof(r));
	for (i = 0; i < 4; i++) {
		r[i].buf = (uintptr_t)bufs[i];
		r[i].size = sizeof(bufs[i]);
	}
	EXPECT_EQ(2, mbox_recvv(fd, r, 4, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(1U, r[0].len);
	EXPECT_EQ(2U, r[1].len);
	EXPECT_EQ(0, memcmp(bufs[1], "bb", 2));
	EXPECT_EQ(getpid(), r[1].pid);
	EXPECT_EQ(2U, r[1].seq);
	EXPECT_EQ(-EINVAL, mbox_sendv(fd, s, MBOX_BATCH_MAX + 1, 0, 0));
	close(fd);
}

TEST_F(compat, bad_pointers_efault)
{
	struct mboxio_send s = { .buf = 0xffff800000000000ULL, .len = 4 };
	void *bad;
	int fd;

	MBOX_SKIP_GUARD();
	bad = mbox_bad_ptr();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EFAULT, mbox_ioctl(fd, MBOXIO_STAT, bad));
	EXPECT_EQ(-EFAULT, mbox_send(fd, bad, 4, 0, 0));
	EXPECT_EQ(-EFAULT, mbox_create(self->dev, bad, MBOX_FD_RDWR, 0600, 1, 8));
	/* A 64-bit pointer value no 32-bit process can own. */
	EXPECT_EQ(-EFAULT, mbox_ioctl(fd, MBOXIO_SEND, &s));
	close(fd);
}

TEST_HARNESS_MAIN
