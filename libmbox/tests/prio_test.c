// SPDX-License-Identifier: GPL-2.0
/*
 * libmbox priority tests: mbox_send_prio() and its try/timed forms,
 * mbox_sendv_prio() across the library's chunks, and the priority every
 * receive reports in mbox_msginfo.prio.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define N	150	/* more than two library chunks (64) */

TEST(send_prio_order)
{
	struct mbox_msginfo info;
	char buf[8];
	int mb;

	REQUIRE_MBOX();
	mb = anon(8, 8);
	ASSERT_LE(0, mb);
	ASSERT_EQ(0, mbox_send(mb, "p0", 2));
	ASSERT_EQ(0, mbox_send_prio(mb, "p9", 2, 9));
	ASSERT_EQ(0, mbox_trysend_prio(mb, "p4", 2, 4));
	ASSERT_EQ(0, mbox_timedsend_prio(mb, "top", 3, MBOX_PRIO_MAX - 1,
					 1000000000));
	ASSERT_EQ(3, mbox_recv(mb, buf, sizeof(buf), &info));
	EXPECT_EQ(0, memcmp(buf, "top", 3));
	EXPECT_EQ((unsigned int)MBOX_PRIO_MAX - 1, info.prio);
	EXPECT_EQ(1U, info.seq);
	ASSERT_EQ(2, mbox_tryrecv(mb, buf, sizeof(buf), &info));
	EXPECT_EQ(0, memcmp(buf, "p9", 2));
	EXPECT_EQ(9U, info.prio);
	ASSERT_EQ(2, mbox_timedrecv(mb, buf, sizeof(buf), &info, 0));
	EXPECT_EQ(0, memcmp(buf, "p4", 2));
	EXPECT_EQ(4U, info.prio);
	ASSERT_EQ(2, mbox_recv(mb, buf, sizeof(buf), &info));
	EXPECT_EQ(0, memcmp(buf, "p0", 2));
	EXPECT_EQ(0U, info.prio);
	EXPECT_EQ(0, mbox_close(mb));
}

TEST(bad_prio)
{
	struct mbox_stat st;
	int mb;

	REQUIRE_MBOX();
	mb = anon(8, 8);
	ASSERT_LE(0, mb);
	errno = 0;
	EXPECT_EQ(-1, mbox_send_prio(mb, "x", 1, MBOX_PRIO_MAX));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_trysend_prio(mb, "x", 1, UINT32_MAX));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_timedsend_prio(mb, "x", 1, MBOX_PRIO_MAX, 0));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(0U, st.queued);
	EXPECT_EQ(0, mbox_close(mb));
}

/* A full mailbox: trysend_prio is EAGAIN and timedsend_prio ETIMEDOUT. */
TEST(full)
{
	int mb;

	REQUIRE_MBOX();
	mb = anon(1, 8);
	ASSERT_LE(0, mb);
	ASSERT_EQ(0, mbox_send_prio(mb, "a", 1, 3));
	errno = 0;
	EXPECT_EQ(-1, mbox_trysend_prio(mb, "b", 1, 30));
	EXPECT_EQ(EAGAIN, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_timedsend_prio(mb, "b", 1, 30, 10000000));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_EQ(0, mbox_close(mb));
}

/*
 * mbox_sendv_prio() across chunks: priorities cycle 0..4; the receives
 * come out highest first, each priority in the order sent, and report it.
 */
TEST(sendv_prio_chunks)
{
	static char out[N][8], in[N][8];
	static struct mbox_msgvec svec[N], rvec[N];
	unsigned int prio, want_prio = 4;
	int mb, i, next = 4;

	REQUIRE_MBOX();
	mb = anon(N, 8);
	ASSERT_LE(0, mb);
	for (i = 0; i < N; i++) {
		svec[i].buf = out[i];
		svec[i].len = (size_t)snprintf(out[i], sizeof(out[i]), "%d", i);
		svec[i].info.prio = (unsigned int)i % 5;
		rvec[i].buf = in[i];
		rvec[i].len = sizeof(in[i]) - 1;
	}
	ASSERT_EQ(N, mbox_sendv_prio(mb, svec, N, -1));
	ASSERT_EQ(N, mbox_recvv(mb, rvec, N, 0));
	for (i = 0; i < N; i++) {
		in[i][rvec[i].info.len] = '\0';
		prio = rvec[i].info.prio;
		if (prio != want_prio) {
			/* The previous priority is used up: the next lower. */
			ASSERT_EQ(want_prio - 1, prio);
			want_prio = prio;
			next = (int)prio;
		}
		EXPECT_EQ(next, atoi(in[i]));
		next += 5;
		EXPECT_EQ((uint64_t)i + 1, rvec[i].info.seq);
	}
	EXPECT_EQ(0U, want_prio);
	EXPECT_EQ(0, mbox_close(mb));
}

/* Plain mbox_sendv() ignores info.prio: everything at 0, in order. */
TEST(sendv_plain_is_zero)
{
	struct mbox_msgvec svec[3], rvec[3];
	char bufs[3][4], src[] = "abc";
	int mb, i;

	REQUIRE_MBOX();
	mb = anon(4, 4);
	ASSERT_LE(0, mb);
	memset(svec, 0, sizeof(svec));
	for (i = 0; i < 3; i++) {
		svec[i].buf = src + i;
		svec[i].len = 1;
		svec[i].info.prio = 10 * (unsigned int)i;
		rvec[i].buf = bufs[i];
		rvec[i].len = sizeof(bufs[i]);
	}
	ASSERT_EQ(3, mbox_sendv(mb, svec, 3, -1));
	ASSERT_EQ(3, mbox_recvv(mb, rvec, 3, 0));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ("abc"[i], bufs[i][0]);
		EXPECT_EQ(0U, rvec[i].info.prio);
	}
	EXPECT_EQ(0, mbox_close(mb));
}

/* A bad priority ends a batch before that message, as any bad message. */
TEST(sendv_prio_bad)
{
	struct mbox_msgvec svec[4];
	struct mbox_stat st;
	char m[] = "m";
	int mb, i;

	REQUIRE_MBOX();
	mb = anon(8, 4);
	ASSERT_LE(0, mb);
	memset(svec, 0, sizeof(svec));
	for (i = 0; i < 4; i++) {
		svec[i].buf = m;
		svec[i].len = 1;
	}
	svec[0].info.prio = MBOX_PRIO_MAX;
	errno = 0;
	EXPECT_EQ(-1, mbox_sendv_prio(mb, svec, 4, 0));
	EXPECT_EQ(EINVAL, errno);
	svec[0].info.prio = 1;
	svec[2].info.prio = MBOX_PRIO_MAX + 7;
	EXPECT_EQ(2, mbox_sendv_prio(mb, svec, 4, 0));
	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(2U, st.queued);
	EXPECT_EQ(0, mbox_close(mb));
}

TEST_HARNESS_MAIN
