// SPDX-License-Identifier: GPL-2.0
/*
 * libmbox's growing structs: every _sized call honours the caller's struct
 * size both ways. A program built against an older libmbox.h (a smaller
 * struct) gets exactly its bytes written; one built against a newer header
 * (a larger struct) gets the fields this library does not know zeroed, and
 * must leave an input struct's unknown fields 0 (E2BIG otherwise); a size
 * below the first version is EINVAL. The plain names, called as functions
 * (the way a program built before the _sized forms calls them), take the
 * first version's size.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define FILL	0x5a

/* Offset just past a member: the size a struct had when it ended there. */
#define END_OF(type, member) \
	(offsetof(type, member) + sizeof(((type *)0)->member))

/* Bytes [from, to) of @p all FILL? */
static int untouched(const void *p, size_t from, size_t to)
{
	const unsigned char *b = p;

	for (; from < to; from++)
		if (b[from] != FILL)
			return 0;
	return 1;
}

static int zeroed(const void *p, size_t from, size_t to)
{
	const unsigned char *b = p;

	for (; from < to; from++)
		if (b[from])
			return 0;
	return 1;
}

/* Needs no module: sizes below the first version fail before any call. */
TEST(below_first_version_einval)
{
	struct mbox_attr attr = { .capacity = 1, .msg_size = 8, .mode = 0600 };
	struct mbox_msgvec vec[1] = { 0 };
	struct mbox_msginfo info;
	struct mbox_usage usage;
	struct mbox_info minfo;
	struct mbox_stat st;
	char buf[8];

	errno = 0;
	EXPECT_EQ(-1, mbox_create_sized(NULL, &attr, O_RDWR, 4));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_stat_sized(-1, &st, END_OF(struct mbox_stat, received) - 8));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_get_info_sized(&minfo, 20));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_get_usage_sized(&usage, 8));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_recv_sized(-1, buf, sizeof(buf), &info, 12));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_tryrecv_sized(-1, buf, sizeof(buf), &info, 0));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_timedrecv_sized(-1, buf, sizeof(buf), &info, 0, 1));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_sendv_sized(-1, vec, 1, 0, sizeof(void *)));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_recvv_sized(-1, vec, 1, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	/* A NULL info needs no size: the call goes on (and meets fd -1). */
	errno = 0;
	EXPECT_EQ(-1, mbox_recv_sized(-1, buf, sizeof(buf), NULL, 0));
	EXPECT_EQ(EBADF, errno);
}

/* Needs no module: an input struct's unknown tail is checked first. */
TEST(create_newer_attr_nonzero_tail_e2big)
{
	struct {
		struct mbox_attr attr;
		uint64_t future;
	} big;

	memset(&big, 0, sizeof(big));
	big.attr.capacity = 1;
	big.attr.msg_size = 8;
	big.attr.mode = 0600;
	big.future = 1;
	errno = 0;
	EXPECT_EQ(-1, mbox_create_sized(NULL, &big.attr, O_RDWR, sizeof(big)));
	EXPECT_EQ(E2BIG, errno);
}

TEST(create_older_and_newer_attr)
{
	struct {
		struct mbox_attr attr;
		uint64_t future;
	} big;
	struct mbox_stat st;
	int mb;

	REQUIRE_MBOX();
	memset(&big, 0, sizeof(big));
	big.attr.capacity = 3;
	big.attr.msg_size = 40;
	big.attr.mode = 0600;
	/* A newer program's zero tail: accepted. */
	mb = mbox_create_sized(NULL, &big.attr, O_RDWR | O_CLOEXEC, sizeof(big));
	ASSERT_LE(0, mb);
	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(3U, st.capacity);
	EXPECT_EQ(40U, st.msg_size);
	EXPECT_EQ(0, mbox_close(mb));
	/* The plain function: libmbox 1.0's attr. */
	mb = (mbox_create)(NULL, &big.attr, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, mb);
	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(3U, st.capacity);
	EXPECT_EQ(0, mbox_close(mb));
}

TEST(info_and_usage_sizes)
{
	const size_t v1_0 = END_OF(struct mbox_info, nr_mailboxes);
	struct mbox_info now;
	unsigned char b[sizeof(struct mbox_info) + 32] __attribute__((aligned(8)));

	REQUIRE_MBOX();
	ASSERT_EQ(0, mbox_get_info(&now));
	EXPECT_EQ(MBOX_FEATURE_USER_LIMITS | MBOX_FEATURE_SIZED_ARGS |
		  MBOX_FEATURE_CALL | MBOX_FEATURE_PRIORITY | MBOX_FEATURE_LEASE |
		  MBOX_FEATURE_CLAIM, now.features);

	/* libmbox 1.0's struct, through the plain function: 24 bytes. */
	memset(b, FILL, sizeof(b));
	ASSERT_EQ(0, (mbox_get_info)((struct mbox_info *)b));
	EXPECT_EQ(now.version, ((struct mbox_info *)b)->version);
	EXPECT_TRUE(untouched(b, v1_0, sizeof(b)));
	/* The same size through the _sized call. */
	memset(b, FILL, sizeof(b));
	ASSERT_EQ(0, mbox_get_info_sized((struct mbox_info *)b, v1_0));
	EXPECT_TRUE(untouched(b, v1_0, sizeof(b)));
	/* A newer program's struct: ours, then zeroes up to its size only. */
	memset(b, FILL, sizeof(b));
	ASSERT_EQ(0, mbox_get_info_sized((struct mbox_info *)b,
					 sizeof(struct mbox_info) + 16));
	EXPECT_EQ(now.features, ((struct mbox_info *)b)->features);
	EXPECT_TRUE(zeroed(b, sizeof(struct mbox_info),
			   sizeof(struct mbox_info) + 16));
	EXPECT_TRUE(untouched(b, sizeof(struct mbox_info) + 16, sizeof(b)));

	memset(b, FILL, sizeof(b));
	ASSERT_EQ(0, (mbox_get_usage)((struct mbox_usage *)b));
	EXPECT_TRUE(untouched(b, sizeof(struct mbox_usage), sizeof(b)));
}

TEST(recv_info_sizes)
{
	const size_t v1_0 = END_OF(struct mbox_msginfo, len);
	unsigned char b[sizeof(struct mbox_msginfo) + 32] __attribute__((aligned(8)));
	struct mbox_msginfo *info = (struct mbox_msginfo *)b;
	char buf[16];
	int mb;

	REQUIRE_MBOX();
	mb = anon(4, sizeof(buf));
	ASSERT_LE(0, mb);
	ASSERT_EQ(0, mbox_send(mb, "one", 3));
	ASSERT_EQ(0, mbox_send(mb, "two", 3));
	ASSERT_EQ(0, mbox_send(mb, "three", 5));

	memset(b, FILL, sizeof(b));
	ASSERT_EQ(3, (mbox_recv)(mb, buf, sizeof(buf), info));
	EXPECT_EQ(1U, info->seq);
	EXPECT_EQ(3U, info->len);
	EXPECT_TRUE(untouched(b, sizeof(struct mbox_msginfo), sizeof(b)));

	memset(b, FILL, sizeof(b));
	ASSERT_EQ(3, mbox_tryrecv_sized(mb, buf, sizeof(buf), info, v1_0));
	EXPECT_EQ(2U, info->seq);
	EXPECT_TRUE(untouched(b, v1_0, sizeof(b)));

	/* EMSGSIZE reports the length within the caller's size too. */
	memset(b, FILL, sizeof(b));
	errno = 0;
	EXPECT_EQ(-1, mbox_timedrecv_sized(mb, buf, 2, info, 0,
					   sizeof(struct mbox_msginfo) + 8));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(5U, info->len);
	EXPECT_EQ(0U, info->seq);
	EXPECT_TRUE(zeroed(b, sizeof(struct mbox_msginfo),
			   sizeof(struct mbox_msginfo) + 8));
	EXPECT_TRUE(untouched(b, sizeof(struct mbox_msginfo) + 8, sizeof(b)));
	EXPECT_EQ(0, mbox_close(mb));
}

/* A newer program's batch element: a larger struct mbox_msgvec. */
struct msgvec_next {
	struct mbox_msgvec v;
	uint64_t future;
};

TEST(batch_element_stride)
{
	struct msgvec_next in[3], out[4];
	char bufs[4][8];
	const char *msgs[] = { "a", "bb", "ccc" };
	unsigned int i;
	int mb;

	REQUIRE_MBOX();
	mb = anon(8, sizeof(bufs[0]));
	ASSERT_LE(0, mb);
	memset(in, FILL, sizeof(in));
	for (i = 0; i < 3; i++) {
		in[i].v.buf = (void *)msgs[i];
		in[i].v.len = strlen(msgs[i]);
	}
	ASSERT_EQ(3, mbox_sendv_sized(mb, &in[0].v, 3, 0, sizeof(in[0])));

	memset(out, FILL, sizeof(out));
	for (i = 0; i < 4; i++) {
		out[i].v.buf = bufs[i];
		out[i].v.len = sizeof(bufs[i]);
	}
	ASSERT_EQ(3, mbox_recvv_sized(mb, &out[0].v, 4, 0, sizeof(out[0])));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(strlen(msgs[i]), out[i].v.info.len);
		EXPECT_EQ(i + 1, out[i].v.info.seq);
		EXPECT_EQ(0, memcmp(bufs[i], msgs[i], strlen(msgs[i])));
		/* Past the library's element: zeroed, as a field it does
		 * not know. */
		EXPECT_EQ(0U, out[i].future);
	}
	/* The element after the last: info.len 0 (nothing did not fit). */
	EXPECT_EQ(0U, out[3].v.info.len);
	EXPECT_EQ(0, mbox_close(mb));
}

TEST(stat_sizes)
{
	const size_t v1_0 = END_OF(struct mbox_stat, received);
	unsigned char b[sizeof(struct mbox_stat) + 16] __attribute__((aligned(8)));
	int mb;

	REQUIRE_MBOX();
	mb = anon(2, 8);
	ASSERT_LE(0, mb);
	memset(b, FILL, sizeof(b));
	ASSERT_EQ(0, mbox_stat_sized(mb, (struct mbox_stat *)b, v1_0));
	EXPECT_EQ(2U, ((struct mbox_stat *)b)->capacity);
	EXPECT_TRUE(untouched(b, v1_0, sizeof(b)));
	memset(b, FILL, sizeof(b));
	ASSERT_EQ(0, mbox_stat_sized(mb, (struct mbox_stat *)b, sizeof(b)));
	EXPECT_TRUE(zeroed(b, sizeof(struct mbox_stat), sizeof(b)));
	EXPECT_EQ(0, mbox_close(mb));
}

TEST_HARNESS_MAIN
