// SPDX-License-Identifier: GPL-2.0
/*
 * libmbox batch tests: mbox_sendv() and mbox_recvv() move many messages
 * in order, across the library's chunks, stop where a single call would
 * have had to wait, and report what a too-small buffer needs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define N	200	/* more than one library chunk (64) */

TEST(roundtrip_in_order)
{
	static char out[N][16], in[N][16];
	static struct mbox_msgvec svec[N], rvec[N];
	int mb, i;

	REQUIRE_MBOX();
	mb = anon(N, 16);
	ASSERT_LE(0, mb);

	for (i = 0; i < N; i++) {
		svec[i].buf = out[i];
		svec[i].len = (size_t)snprintf(out[i], sizeof(out[i]), "m%d", i);
		rvec[i].buf = in[i];
		rvec[i].len = sizeof(in[i]);
	}
	ASSERT_EQ(N, mbox_sendv(mb, svec, N, -1));
	ASSERT_EQ(N, mbox_recvv(mb, rvec, N, 0));
	for (i = 0; i < N; i++) {
		ASSERT_EQ(svec[i].len, rvec[i].info.len);
		ASSERT_EQ(0, memcmp(out[i], in[i], svec[i].len));
		ASSERT_EQ((uint64_t)i + 1, rvec[i].info.seq);
		ASSERT_EQ(getpid(), rvec[i].info.pid);
	}
	/* Nothing left: the first message would have to wait. */
	errno = 0;
	ASSERT_EQ(-1, mbox_recvv(mb, rvec, 4, 0));
	ASSERT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, mbox_close(mb));
}

/* A batch stops where a single send would wait: capacity 4 takes 4. */
TEST(stops_when_full)
{
	struct mbox_msgvec vec[10];
	struct mbox_stat st;
	int mb, i;

	REQUIRE_MBOX();
	mb = anon(4, 8);
	ASSERT_LE(0, mb);
	for (i = 0; i < 10; i++)
		vec[i] = (struct mbox_msgvec){ .buf = "abc", .len = 3 };

	ASSERT_EQ(4, mbox_sendv(mb, vec, 10, -1));
	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(4, st.queued);
	errno = 0;
	ASSERT_EQ(-1, mbox_sendv(mb, vec, 10, 0));
	ASSERT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, mbox_sendv(mb, vec, 0, 0));
	EXPECT_EQ(0, mbox_close(mb));
}

/* A message that does not fit ends the batch; its size is reported. */
TEST(emsgsize_reports_size)
{
	char small[4], big[64], b0[64];
	struct mbox_msgvec vec[2];
	int mb;

	REQUIRE_MBOX();
	mb = anon(4, 64);
	ASSERT_LE(0, mb);
	ASSERT_EQ(0, mbox_send(mb, "tiny", 4));
	ASSERT_EQ(0, mbox_send(mb, "a longer message", 16));

	vec[0] = (struct mbox_msgvec){ .buf = b0, .len = sizeof(b0) };
	vec[1] = (struct mbox_msgvec){ .buf = small, .len = sizeof(small) };
	ASSERT_EQ(1, mbox_recvv(mb, vec, 2, 0));
	EXPECT_EQ(4, vec[0].info.len);
	EXPECT_EQ(16, vec[1].info.len);

	/* The message stayed: first in line, and too big again. */
	vec[0] = (struct mbox_msgvec){ .buf = small, .len = sizeof(small) };
	errno = 0;
	ASSERT_EQ(-1, mbox_recvv(mb, vec, 1, 0));
	ASSERT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(16, vec[0].info.len);
	vec[0] = (struct mbox_msgvec){ .buf = big, .len = sizeof(big) };
	ASSERT_EQ(1, mbox_recvv(mb, vec, 1, 0));
	EXPECT_EQ(0, memcmp(big, "a longer message", 16));
	EXPECT_EQ(0, mbox_close(mb));
}

TEST(bad_arguments)
{
	struct mbox_msgvec vec[1] = { { .buf = "x", .len = 1 } };
	int mb;

	errno = 0;
	ASSERT_EQ(-1, mbox_sendv(-1, NULL, 1, 0));
	ASSERT_EQ(EINVAL, errno);
	errno = 0;
	ASSERT_EQ(-1, mbox_recvv(-1, NULL, 1, 0));
	ASSERT_EQ(EINVAL, errno);

	REQUIRE_MBOX();
	mb = anon(4, 8);
	ASSERT_LE(0, mb);
	vec[0].len = 9;			/* above msg_size */
	errno = 0;
	ASSERT_EQ(-1, mbox_sendv(mb, vec, 1, 0));
	ASSERT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(0, mbox_close(mb));
}

TEST_HARNESS_MAIN
