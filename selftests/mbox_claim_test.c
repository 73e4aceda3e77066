// SPDX-License-Identifier: GPL-2.0
/*
 * Claims (MBOX_FEATURE_CLAIM): what a sender states about a message, carried
 * beside it and shown to the receiver as the sender's claim.
 *
 * What must hold (Documentation/semantics.rst, "Who sent it"):
 *  - a claim reaches the receiver byte for byte, with the kernel-checked
 *    sender beside it: the claim never replaces who sent the message;
 *  - a receiver that gives a smaller buffer gets the claim cut and its
 *    whole length; one that gives none still learns the length;
 *  - a message without a claim reports length 0;
 *  - a claim is charged to its sender with the message, and freed with it;
 *  - bad claims (too long, a pointer without a length, padding, a bad
 *    pointer) send nothing;
 *  - a receive whose claim buffer faults puts the message back, claim and
 *    all.
 */
#define _GNU_SOURCE
#include "mbox_helpers.h"
#include "../kselftest_harness.h"

FIXTURE(claim) {
	MBOX_ENV_FIELDS;
};

FIXTURE_SETUP(claim)
{
	struct mboxio_info info;

	MBOX_ENV_SETUP();
	ASSERT_EQ(0, mbox_info(self->dev, &info));
	if (!(info.features & MBOX_FEATURE_CLAIM))
		SKIP(return, "module without MBOX_FEATURE_CLAIM");
}

FIXTURE_TEARDOWN(claim)
{
	MBOX_ENV_TEARDOWN();
}

static int send_claim(int fd, const char *msg, const void *claim,
		      uint32_t claim_len)
{
	struct mboxio_send s = {
		.buf = (uintptr_t)msg,
		.len = strlen(msg),
		.flags = MBOX_MSG_DONTWAIT,
		.claim = (uintptr_t)claim,
		.claim_len = claim_len,
	};

	return mbox_ioctl(fd, MBOXIO_SEND, &s);
}

static int recv_claim(int fd, char *buf, size_t size, void *claim,
		      uint32_t claim_size, struct mboxio_recv *r)
{
	int n;

	memset(r, 0, sizeof(*r));
	r->buf = (uintptr_t)buf;
	r->size = size - 1;
	r->flags = MBOX_MSG_DONTWAIT;
	r->claim_buf = (uintptr_t)claim;
	r->claim_size = claim_size;
	n = mbox_ioctl(fd, MBOXIO_RECV, r);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

static uint64_t user_bytes(int dev)
{
	struct mboxio_info info;

	return mbox_info(dev, &info) ? 0 : info.user_bytes;
}

TEST_F(claim, round_trip_beside_the_sender)
{
	static const char claim[] = "host=a pid=77 uid=1234";
	char buf[64], got[64];
	struct mboxio_recv r;
	int fd;

	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 64);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, send_claim(fd, "m", claim, sizeof(claim) - 1));
	ASSERT_EQ(0, send_claim(fd, "plain", NULL, 0));

	memset(got, 0, sizeof(got));
	ASSERT_EQ(1, recv_claim(fd, buf, sizeof(buf), got, sizeof(got), &r));
	EXPECT_EQ(sizeof(claim) - 1, r.claim_len);
	EXPECT_EQ(0, memcmp(got, claim, sizeof(claim) - 1));
	/* The claim says 77 and 1234; the kernel says who really sent it. */
	EXPECT_EQ(getpid(), r.pid);
	EXPECT_EQ(geteuid(), r.uid);

	ASSERT_EQ(5, recv_claim(fd, buf, sizeof(buf), got, sizeof(got), &r));
	EXPECT_EQ(0U, r.claim_len);
	close(fd);
}

TEST_F(claim, cut_to_the_buffer)
{
	static const char claim[] = "0123456789";
	char buf[64], got[8];
	struct mboxio_recv r;
	int fd;

	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 64);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, send_claim(fd, "a", claim, 10));
	ASSERT_EQ(0, send_claim(fd, "b", claim, 10));
	memset(got, '.', sizeof(got));
	ASSERT_EQ(1, recv_claim(fd, buf, sizeof(buf), got, 4, &r));
	EXPECT_EQ(10U, r.claim_len);
	EXPECT_EQ(0, memcmp(got, "0123....", 8));
	/* No buffer: the length only. */
	ASSERT_EQ(1, recv_claim(fd, buf, sizeof(buf), NULL, 0, &r));
	EXPECT_EQ(10U, r.claim_len);
	close(fd);
}

TEST_F(claim, charged_with_the_message)
{
	static char claim[MBOX_CLAIM_MAX];
	char buf[64];
	struct mboxio_recv r;
	uint64_t before, with, without;
	int fd;

	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 64);
	ASSERT_LE(0, fd);
	before = user_bytes(self->dev);
	ASSERT_EQ(0, send_claim(fd, "x", NULL, 0));
	without = user_bytes(self->dev) - before;
	ASSERT_EQ(1, recv_claim(fd, buf, sizeof(buf), NULL, 0, &r));
	EXPECT_EQ(before, user_bytes(self->dev));
	ASSERT_EQ(0, send_claim(fd, "x", claim, sizeof(claim)));
	with = user_bytes(self->dev) - before;
	EXPECT_LE(without + sizeof(claim), with);
	ASSERT_EQ(1, recv_claim(fd, buf, sizeof(buf), NULL, 0, &r));
	EXPECT_EQ(before, user_bytes(self->dev));
	close(fd);
}

TEST_F(claim, bad_claims_send_nothing)
{
	static char claim[MBOX_CLAIM_MAX + 1];
	struct mboxio_send s = { .buf = (uintptr_t)"x", .len = 1 };
	struct mboxio_stat st;
	int fd;

	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 64);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, send_claim(fd, "x", claim, MBOX_CLAIM_MAX + 1));
	EXPECT_EQ(-EINVAL, send_claim(fd, "x", claim, 0));
	s.claim = (uintptr_t)claim;
	s.claim_len = 4;
	s.__pad2 = 1;
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_SEND, &s));
	EXPECT_EQ(-EFAULT, send_claim(fd, "x", mbox_bad_ptr(), 8));
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.sent);
	EXPECT_EQ(0U, st.queued);
	/* The longest claim is fine. */
	EXPECT_EQ(0, send_claim(fd, "x", claim, MBOX_CLAIM_MAX));
	close(fd);
}

TEST_F(claim, fault_puts_back_with_the_claim)
{
	char buf[64], got[16];
	struct mboxio_recv r;
	int fd;

	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 64);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, send_claim(fd, "m", "origin", 6));
	EXPECT_EQ(-EFAULT, recv_claim(fd, buf, sizeof(buf), mbox_bad_ptr(),
				      16, &r));
	memset(got, 0, sizeof(got));
	ASSERT_EQ(1, recv_claim(fd, buf, sizeof(buf), got, sizeof(got), &r));
	EXPECT_EQ(1U, r.seq);
	EXPECT_EQ(6U, r.claim_len);
	EXPECT_STREQ("origin", got);
	close(fd);
}

TEST_HARNESS_MAIN
