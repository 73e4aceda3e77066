// SPDX-License-Identifier: GPL-2.0
/*
 * libmbox claims: mbox_timedsend_claim() and mbox_timedrecv_claim(), and
 * mbox_msginfo.claim_len on every receive.
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

TEST(round_trip)
{
	struct mbox_msginfo info;
	char buf[16], claim[32];
	int mb;

	REQUIRE_MBOX();
	mb = anon(4, 16);
	ASSERT_LE(0, mb);
	ASSERT_EQ(0, mbox_timedsend_claim(mb, "m", 1, 3, "from=x", 6, -1));
	ASSERT_EQ(0, mbox_timedsend_claim(mb, "n", 1, 0, NULL, 0, 0));
	ASSERT_EQ(0, mbox_timedsend_claim(mb, "o", 1, 0, "0123456789", 10, 0));

	memset(claim, 0, sizeof(claim));
	ASSERT_EQ(1, mbox_timedrecv_claim(mb, buf, sizeof(buf), &info, claim,
					  sizeof(claim), 0));
	EXPECT_EQ('m', buf[0]);
	EXPECT_EQ(3U, info.prio);
	EXPECT_EQ(6U, info.claim_len);
	EXPECT_STREQ("from=x", claim);
	EXPECT_EQ(getpid(), info.pid);
	/* No claim; then a plain receive still reports the length. */
	ASSERT_EQ(1, mbox_timedrecv_claim(mb, buf, sizeof(buf), &info, claim,
					  sizeof(claim), 0));
	EXPECT_EQ(0U, info.claim_len);
	ASSERT_EQ(1, mbox_recv(mb, buf, sizeof(buf), &info));
	EXPECT_EQ('o', buf[0]);
	EXPECT_EQ(10U, info.claim_len);
	EXPECT_EQ(0, mbox_close(mb));
}

TEST(too_long)
{
	static char claim[MBOX_CLAIM_MAX + 1];
	int mb;

	REQUIRE_MBOX();
	mb = anon(4, 16);
	ASSERT_LE(0, mb);
	errno = 0;
	EXPECT_EQ(-1, mbox_timedsend_claim(mb, "m", 1, 0, claim,
					   sizeof(claim), 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, mbox_timedsend_claim(mb, "m", 1, 0, claim,
					  MBOX_CLAIM_MAX, 0));
	EXPECT_EQ(0, mbox_close(mb));
}

TEST_HARNESS_MAIN
