// SPDX-License-Identifier: GPL-2.0
/*
 * libmbox leased receives: mbox_recv_lease() and its try/timed forms,
 * mbox_lease_commit(), mbox_lease_release(), mbox_lease_extend(), the
 * lease_id and deliveries every receive reports, and mbox_stat.leased.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define MSEC	1000000LL

static unsigned int leased(int mb)
{
	struct mbox_stat st;

	return mbox_stat(mb, &st) ? ~0U : st.leased;
}

TEST(commit_and_release)
{
	struct mbox_msginfo a, b, info;
	char buf[8];
	int mb;

	REQUIRE_MBOX();
	mb = anon(4, 8);
	ASSERT_LE(0, mb);
	ASSERT_EQ(0, mbox_send(mb, "a", 1));
	ASSERT_EQ(0, mbox_send(mb, "b", 1));
	ASSERT_EQ(0, mbox_send(mb, "c", 1));

	ASSERT_EQ(1, mbox_recv_lease(mb, buf, sizeof(buf), &a, -1));
	EXPECT_EQ('a', buf[0]);
	EXPECT_NE(0U, a.lease_id);
	EXPECT_EQ(1U, a.deliveries);
	ASSERT_EQ(1, mbox_tryrecv_lease(mb, buf, sizeof(buf), &b, 10000 * MSEC));
	EXPECT_EQ('b', buf[0]);
	EXPECT_EQ(2U, leased(mb));

	ASSERT_EQ(0, mbox_lease_commit(mb, b.lease_id));
	ASSERT_EQ(0, mbox_lease_release(mb, a.lease_id));
	EXPECT_EQ(0U, leased(mb));
	errno = 0;
	EXPECT_EQ(-1, mbox_lease_commit(mb, a.lease_id));
	EXPECT_EQ(ENOENT, errno);

	/* a again, before c; a plain receive reports no lease. */
	ASSERT_EQ(1, mbox_recv(mb, buf, sizeof(buf), &info));
	EXPECT_EQ('a', buf[0]);
	EXPECT_EQ(2U, info.deliveries);
	EXPECT_EQ(0U, info.lease_id);
	EXPECT_EQ(3U, info.seq);
	EXPECT_EQ(a.msg_id, info.msg_id);
	ASSERT_EQ(1, mbox_recv(mb, buf, sizeof(buf), &info));
	EXPECT_EQ('c', buf[0]);
	EXPECT_EQ(1U, info.deliveries);
	EXPECT_EQ(0, mbox_close(mb));
}

/* The time runs out; extend keeps a lease; close releases. */
TEST(expiry_extend_close)
{
	struct mbox_msginfo a, b, info;
	int64_t t0;
	char buf[8];
	int mb, dup_mb;

	REQUIRE_MBOX();
	mb = anon(4, 8);
	ASSERT_LE(0, mb);
	ASSERT_EQ(0, mbox_send(mb, "a", 1));
	ASSERT_EQ(0, mbox_send(mb, "b", 1));
	t0 = mono_ns();
	ASSERT_EQ(1, mbox_recv_lease(mb, buf, sizeof(buf), &a, 50 * MSEC));
	ASSERT_EQ(1, mbox_recv_lease(mb, buf, sizeof(buf), &b, 50 * MSEC));
	ASSERT_EQ(0, mbox_lease_extend(mb, b.lease_id, -1));
	ASSERT_EQ(1, mbox_timedrecv_lease(mb, buf, sizeof(buf), &info, -1,
					  10000 * MSEC));
	EXPECT_LE(50 * MSEC, mono_ns() - t0);
	EXPECT_EQ('a', buf[0]);
	EXPECT_EQ(2U, info.deliveries);
	EXPECT_EQ(2U, leased(mb));

	/* A copy of the fd shares the leases; closing the last releases. */
	dup_mb = dup(mb);
	ASSERT_LE(0, dup_mb);
	EXPECT_EQ(0, mbox_lease_commit(dup_mb, info.lease_id));
	EXPECT_EQ(0, mbox_close(dup_mb));
	EXPECT_EQ(1U, leased(mb));
	EXPECT_EQ(0, mbox_close(mb));
}

TEST(bad_arguments)
{
	struct mbox_msginfo info;
	char buf[8];
	int mb;

	REQUIRE_MBOX();
	mb = anon(4, 8);
	ASSERT_LE(0, mb);
	ASSERT_EQ(0, mbox_send(mb, "a", 1));
	errno = 0;
	EXPECT_EQ(-1, mbox_recv_lease(mb, buf, sizeof(buf), &info, 0));
	EXPECT_EQ(EINVAL, errno);
	/* A struct too short to hold the handle. */
	errno = 0;
	EXPECT_EQ(-1, mbox_recv_lease_sized(mb, buf, sizeof(buf), &info, -1,
					    offsetof(struct mbox_msginfo,
						     lease_id)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0U, leased(mb));
	ASSERT_EQ(1, mbox_recv_lease(mb, buf, sizeof(buf), &info, -1));
	errno = 0;
	EXPECT_EQ(-1, mbox_lease_extend(mb, info.lease_id, 0));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_lease_release(mb, info.lease_id + 1000000));
	EXPECT_EQ(ENOENT, errno);
	/* Nothing to receive while the only message is out on lease. */
	errno = 0;
	EXPECT_EQ(-1, mbox_tryrecv_lease(mb, buf, sizeof(buf), &info, -1));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, mbox_close(mb));
}

TEST_HARNESS_MAIN
