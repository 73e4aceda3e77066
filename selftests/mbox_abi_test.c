// SPDX-License-Identifier: GPL-2.0
/*
 * How the ioctl ABI grows (uapi/linux/mbox.h): a command is matched by its
 * direction, type and number, and the size in it is the caller's struct.
 *
 *  - an older, shorter struct (at least the first version's size,
 *    MBOXIO_*_SIZE_VER0) works: missing input fields read as 0, and no
 *    more output is written than the caller's size;
 *  - a newer, longer struct works if it is 0 past what the kernel knows,
 *    and fails with E2BIG, doing nothing, if it is not; output the kernel
 *    does not know of is left as the caller set it;
 *  - a struct shorter than its first version fails with EINVAL before
 *    anything is read;
 *  - the direction must be the command's (ENOTTY otherwise).
 */
#define _GNU_SOURCE
#include "mbox_helpers.h"
#include "../kselftest_harness.h"

MBOX_FIXTURE(abi)

/* @cmd with its size replaced by @size. */
static unsigned long resized(unsigned long cmd, unsigned int size)
{
	return _IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd), size);
}

/* A struct buffer: @len bytes of @fill. */
static uint8_t *filled(uint8_t *buf, size_t len, int fill)
{
	memset(buf, fill, len);
	return buf;
}

TEST_F(abi, info_older_and_newer_callers)
{
	struct mboxio_info now;
	uint8_t b[160];
	unsigned int i;

	MBOX_SKIP_GUARD();
	ASSERT_EQ(0, mbox_info(self->dev, &now));
	/* Version 1's 32 bytes: exactly those are written. */
	filled(b, sizeof(b), 0x5a);
	ASSERT_EQ(0, mbox_ioctl(self->dev, resized(MBOXIO_INFO, 32), b));
	EXPECT_EQ(0, memcmp(b, &now, 24));	/* nr_mailboxes may move */
	for (i = 32; i < sizeof(b); i++)
		EXPECT_EQ(0x5a, b[i]);
	/* Version 2's 64 bytes: no features field written. */
	filled(b, sizeof(b), 0x5a);
	ASSERT_EQ(0, mbox_ioctl(self->dev, resized(MBOXIO_INFO, 64), b));
	EXPECT_EQ(now.max_user_bytes, ((struct mboxio_info *)b)->max_user_bytes);
	for (i = 64; i < sizeof(b); i++)
		EXPECT_EQ(0x5a, b[i]);
	/* A newer caller's 96 bytes: the kernel's 72, the rest untouched. */
	filled(b, sizeof(b), 0x5a);
	ASSERT_EQ(0, mbox_ioctl(self->dev, resized(MBOXIO_INFO, 96), b));
	EXPECT_EQ(0, memcmp(b, &now, 24));
	EXPECT_EQ(now.max_user_bytes, ((struct mboxio_info *)b)->max_user_bytes);
	EXPECT_EQ(now.features, ((struct mboxio_info *)b)->features);
	for (i = sizeof(now); i < sizeof(b); i++)
		EXPECT_EQ(0x5a, b[i]);
	/* Shorter than the first version: EINVAL, nothing written. */
	filled(b, sizeof(b), 0x5a);
	EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev, resized(MBOXIO_INFO, 24), b));
	EXPECT_EQ(0x5a, b[0]);
	EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev, resized(MBOXIO_INFO, 0), b));
}

TEST_F(abi, create_open_unlink_grow)
{
	const char *name = mbox_new_name("abi");
	struct mboxio_create c = { .flags = MBOX_FD_RDWR, .mode = 0600,
				   .capacity = 2, .msg_size = 8 };
	struct mboxio_open o = { .flags = MBOX_FD_RECV };
	struct mboxio_unlink u = { 0 };
	uint8_t b[64];
	long before;
	int fd, fd2;

	MBOX_SKIP_GUARD();
	c.name = (uintptr_t)name;
	before = mbox_count(self->dev);

	/* Longer with a nonzero tail: E2BIG, nothing created. */
	memcpy(filled(b, sizeof(b), 0), &c, sizeof(c));
	b[sizeof(c) + 3] = 1;
	EXPECT_EQ(-E2BIG, mbox_ioctl(self->dev, resized(MBOXIO_CREATE, 40), b));
	EXPECT_EQ(before, mbox_count(self->dev));
	/* Shorter than the first version: EINVAL. */
	EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev, resized(MBOXIO_CREATE, 24), b));
	EXPECT_EQ(before, mbox_count(self->dev));
	/* Longer, zeros past the struct: a plain create. */
	b[sizeof(c) + 3] = 0;
	fd = mbox_ioctl(self->dev, resized(MBOXIO_CREATE, 40), b);
	ASSERT_LE(0, fd);

	o.name = (uintptr_t)name;
	memcpy(filled(b, sizeof(b), 0), &o, sizeof(o));
	b[20] = 7;
	EXPECT_EQ(-E2BIG, mbox_ioctl(self->dev, resized(MBOXIO_OPEN, 24), b));
	EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev, resized(MBOXIO_OPEN, 8), b));
	b[20] = 0;
	fd2 = mbox_ioctl(self->dev, resized(MBOXIO_OPEN, 24), b);
	EXPECT_LE(0, fd2);
	if (fd2 >= 0)
		close(fd2);

	u.name = (uintptr_t)name;
	memcpy(filled(b, sizeof(b), 0), &u, sizeof(u));
	b[31] = 1;
	EXPECT_EQ(-E2BIG, mbox_ioctl(self->dev, resized(MBOXIO_UNLINK, 32), b));
	EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev, resized(MBOXIO_UNLINK, 12), b));
	b[31] = 0;
	EXPECT_EQ(0, mbox_ioctl(self->dev, resized(MBOXIO_UNLINK, 32), b));
	close(fd);
}

TEST_F(abi, send_recv_stat_grow)
{
	struct mboxio_send s = { .buf = (uintptr_t)"grow", .len = 4 };
	struct mboxio_recv r = { 0 };
	struct mboxio_stat st;
	char buf[16];
	uint8_t b[160];
	unsigned int i;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 16);
	ASSERT_LE(0, fd);

	memcpy(filled(b, sizeof(b), 0), &s, sizeof(s));
	b[sizeof(s)] = 1;
	EXPECT_EQ(-E2BIG, mbox_ioctl(fd, resized(MBOXIO_SEND, sizeof(s) + 8), b));
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, resized(MBOXIO_SEND, 16), b));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.sent);
	b[sizeof(s)] = 0;
	EXPECT_EQ(0, mbox_ioctl(fd, resized(MBOXIO_SEND, sizeof(s) + 8), b));

	/* A newer receive struct: out fields written, its tail left alone. */
	r.buf = (uintptr_t)buf;
	r.size = sizeof(buf);
	memcpy(filled(b, sizeof(b), 0), &r, sizeof(r));
	b[sizeof(r) + 7] = 9;
	EXPECT_EQ(-E2BIG, mbox_ioctl(fd, resized(MBOXIO_RECV, sizeof(r) + 8), b));
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, resized(MBOXIO_RECV, 40), b));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(1U, st.queued);
	b[sizeof(r) + 7] = 0;
	EXPECT_EQ(4, mbox_ioctl(fd, resized(MBOXIO_RECV, sizeof(r) + 8), b));
	memcpy(&r, b, sizeof(r));
	EXPECT_EQ(4U, r.len);
	EXPECT_EQ(1U, r.seq);
	EXPECT_EQ(getpid(), r.pid);
	for (i = sizeof(r); i < sizeof(r) + 8; i++)
		EXPECT_EQ(0, b[i]);

	/* stat: output only. */
	filled(b, sizeof(b), 0x5a);
	ASSERT_EQ(0, mbox_ioctl(fd, resized(MBOXIO_STAT, sizeof(st) + 16), b));
	EXPECT_EQ(4U, ((struct mboxio_stat *)b)->capacity);
	for (i = sizeof(st); i < sizeof(st) + 16; i++)
		EXPECT_EQ(0x5a, b[i]);
	/* Version 1's 64 bytes: no more written. */
	filled(b, sizeof(b), 0x5a);
	ASSERT_EQ(0, mbox_ioctl(fd, resized(MBOXIO_STAT, 64), b));
	for (i = 64; i < sizeof(b); i++)
		EXPECT_EQ(0x5a, b[i]);
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, resized(MBOXIO_STAT, 56), b));
	close(fd);
}

TEST_F(abi, batches_grow)
{
	struct mboxio_sendmsg sm = { .buf = (uintptr_t)"b", .len = 1 };
	struct mboxio_recvmsg rm = { 0 };
	struct mboxio_batch bt = { .count = 1 };
	char buf[8];
	uint8_t b[64];
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 8);
	ASSERT_LE(0, fd);
	bt.vec = (uintptr_t)&sm;
	memcpy(filled(b, sizeof(b), 0), &bt, sizeof(bt));
	b[36] = 1;
	EXPECT_EQ(-E2BIG, mbox_ioctl(fd, resized(MBOXIO_SENDV, 40), b));
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, resized(MBOXIO_SENDV, 16), b));
	b[36] = 0;
	EXPECT_EQ(1, mbox_ioctl(fd, resized(MBOXIO_SENDV, 40), b));

	rm.buf = (uintptr_t)buf;
	rm.size = sizeof(buf);
	bt.vec = (uintptr_t)&rm;
	memcpy(filled(b, sizeof(b), 0), &bt, sizeof(bt));
	b[39] = 1;
	EXPECT_EQ(-E2BIG, mbox_ioctl(fd, resized(MBOXIO_RECVV, 40), b));
	b[39] = 0;
	EXPECT_EQ(1, mbox_ioctl(fd, resized(MBOXIO_RECVV, 40), b));
	EXPECT_EQ(1U, rm.len);
	EXPECT_EQ('b', buf[0]);
	close(fd);
}

/*
 * ABI version 6 grew the receive struct (lease_ns, lease_id) and added
 * MBOXIO_LEASE: version 5's 64-byte receive still works and learns the
 * delivery count (its last field, a pad before); MBOXIO_LEASE grows as
 * every command does.
 */
TEST_F(abi, lease_grows)
{
	struct mboxio_recv r = { 0 };
	struct mboxio_lease l = { .op = MBOX_LEASE_RELEASE };
	char buf[8];
	uint8_t b[160];
	unsigned int i;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "v", 1, 0, 0));

	/* Version 5's receive: 64 bytes written, no more. */
	r.buf = (uintptr_t)buf;
	r.size = sizeof(buf);
	memcpy(filled(b, sizeof(b), 0x5a), &r, 64);
	EXPECT_EQ(1, mbox_ioctl(fd, resized(MBOXIO_RECV, 64), b));
	memcpy(&r, b, 64);
	EXPECT_EQ(1U, r.deliveries);
	for (i = 64; i < sizeof(b); i++)
		EXPECT_EQ(0x5a, b[i]);
	/* ... and cannot lease: it could not learn the handle. */
	ASSERT_EQ(0, mbox_send(fd, "w", 1, 0, 0));
	memset(&r, 0, sizeof(r));
	r.buf = (uintptr_t)buf;
	r.size = sizeof(buf);
	r.flags = MBOX_MSG_LEASE;
	memcpy(filled(b, sizeof(b), 0), &r, 64);
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, resized(MBOXIO_RECV, 64), b));
	/* The current struct leases; a newer one with a zero tail too. */
	memcpy(filled(b, sizeof(b), 0), &r, sizeof(r));
	EXPECT_EQ(1, mbox_ioctl(fd, resized(MBOXIO_RECV, sizeof(r) + 8), b));
	memcpy(&r, b, sizeof(r));
	ASSERT_NE(0U, r.lease_id);

	l.lease_id = r.lease_id;
	memcpy(filled(b, sizeof(b), 0), &l, sizeof(l));
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, resized(MBOXIO_LEASE, 16), b));
	b[sizeof(l) + 3] = 1;
	EXPECT_EQ(-E2BIG, mbox_ioctl(fd, resized(MBOXIO_LEASE, sizeof(l) + 8), b));
	b[sizeof(l) + 3] = 0;
	EXPECT_EQ(0, mbox_ioctl(fd, resized(MBOXIO_LEASE, sizeof(l) + 8), b));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(fd, _IOWR(MBOX_IOCTL_TYPE, 0x1b,
						struct mboxio_lease), b));
	close(fd);
}

/* Size is checked first, then the struct is read; direction is part of it. */
TEST_F(abi, order_and_direction)
{
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, resized(MBOXIO_SEND, 8), mbox_bad_ptr()));
	EXPECT_EQ(-EFAULT, mbox_ioctl(fd, resized(MBOXIO_SEND, 40), mbox_bad_ptr()));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(fd, _IOR(MBOX_IOCTL_TYPE, 0x10,
					       struct mboxio_send), NULL));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(fd, _IOW(MBOX_IOCTL_TYPE, 0x12,
					       struct mboxio_stat), NULL));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->dev, _IOW(MBOX_IOCTL_TYPE, 0x00,
						      struct mboxio_info), NULL));
	close(fd);
}

TEST_HARNESS_MAIN
