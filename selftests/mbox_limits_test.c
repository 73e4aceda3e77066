// SPDX-License-Identifier: GPL-2.0
/*
 * mbox limits: the module parameters in /sys/module/mbox/parameters agree
 * with MBOXIO_INFO, allow at least 64 KiB messages and 1024-message
 * capacities by default, reject out-of-range writes, and lowering them
 * affects later creates (ENOSPC for max_mailboxes, EINVAL for the others).
 * Every parameter changed here is restored in the teardown.
 */
#define _GNU_SOURCE
#include <sys/resource.h>

#include "mbox_helpers.h"
#include "../kselftest_harness.h"

static const char *const params[] = {
	"max_mailboxes", "max_capacity", "max_msg_size",
};
#define NR_PARAMS 3

FIXTURE(limits) {
	MBOX_ENV_FIELDS;
	long saved[NR_PARAMS];
};

FIXTURE_SETUP(limits)
{
	int i;

	for (i = 0; i < NR_PARAMS; i++)
		self->saved[i] = -1;
	MBOX_ENV_SETUP();
	for (i = 0; i < NR_PARAMS; i++) {
		self->saved[i] = mbox_param_read(params[i]);
		ASSERT_LT(0, self->saved[i])
			TH_LOG("cannot read " MBOX_PARAM_DIR "%s", params[i]);
	}
}

FIXTURE_TEARDOWN(limits)
{
	int i;

	for (i = 0; i < NR_PARAMS; i++) {
		if (self->saved[i] > 0 && mbox_param_read(params[i]) != self->saved[i])
			EXPECT_EQ(0, mbox_param_write(params[i], self->saved[i]));
	}
	MBOX_ENV_TEARDOWN();
}

#define NEED_ROOT() do {						\
	if (geteuid() != 0)						\
		SKIP(return, "needs root to write module parameters");	\
} while (0)

TEST_F(limits, params_match_info)
{
	struct mboxio_info info;

	MBOX_SKIP_GUARD();
	ASSERT_EQ(0, mbox_info(self->dev, &info));
	EXPECT_EQ(self->saved[0], (long)info.max_mailboxes);
	EXPECT_EQ(self->saved[1], (long)info.max_capacity);
	EXPECT_EQ(self->saved[2], (long)info.max_msg_size);
}

TEST_F(limits, params_mode)
{
	char path[128];
	struct stat st;
	int i;

	MBOX_SKIP_GUARD();
	for (i = 0; i < NR_PARAMS; i++) {
		snprintf(path, sizeof(path), MBOX_PARAM_DIR "%s", params[i]);
		ASSERT_EQ(0, stat(path, &st));
		EXPECT_EQ(0644U, st.st_mode & 07777) TH_LOG("%s", path);
	}
}

TEST_F(limits, defaults_are_generous)
{
	MBOX_SKIP_GUARD();
	/* The run loads the module with its defaults. */
	EXPECT_EQ(MBOX_DOC_MAX_MAILBOXES, self->saved[0]);
	EXPECT_EQ(MBOX_DOC_MAX_CAPACITY, self->saved[1]);
	EXPECT_EQ(MBOX_DOC_MAX_MSG_SIZE, self->saved[2]);
	EXPECT_LE(1024, self->saved[1]);
	EXPECT_LE(64 * 1024, self->saved[2]);
}

TEST_F(limits, out_of_range_writes_rejected)
{
	static const struct { int param; const char *val; } bad[] = {
		{ 0, "0" }, { 0, "65537" }, { 0, "-1" }, { 0, "abc" },
		{ 1, "0" }, { 1, "65537" }, { 1, "99999999" },
		{ 2, "0" }, { 2, "4194305" }, { 2, "x1" },
	};
	unsigned int i;
	int p;

	MBOX_SKIP_GUARD();
	NEED_ROOT();
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		p = bad[i].param;
		EXPECT_EQ(-EINVAL, mbox_param_write_str(params[p], bad[i].val))
			TH_LOG("%s accepted '%s'", params[p], bad[i].val);
		EXPECT_EQ(self->saved[p], mbox_param_read(params[p]));
	}
}

TEST_F(limits, range_edges_accepted)
{
	static const struct { int param; long val; } good[] = {
		{ 0, 1 }, { 0, 65536 }, { 1, 1 }, { 1, 65536 },
		{ 2, 1 }, { 2, 4194304 },
	};
	struct mboxio_info info;
	unsigned int i;
	int p;

	MBOX_SKIP_GUARD();
	NEED_ROOT();
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		p = good[i].param;
		EXPECT_EQ(0, mbox_param_write(params[p], good[i].val));
		EXPECT_EQ(good[i].val, mbox_param_read(params[p]));
		ASSERT_EQ(0, mbox_info(self->dev, &info));
		EXPECT_EQ(good[i].val, p == 0 ? (long)info.max_mailboxes :
				       p == 1 ? (long)info.max_capacity :
						(long)info.max_msg_size);
		EXPECT_EQ(0, mbox_param_write(params[p], self->saved[p]));
	}
}

TEST_F(limits, max_mailboxes_enospc)
{
	const char *a = mbox_new_name("lim-a");
	const char *b = mbox_new_name("lim-b");
	long nr;
	int fa, fb;

	MBOX_SKIP_GUARD();
	NEED_ROOT();
	nr = mbox_count(self->dev);
	ASSERT_LE(0, nr);
	ASSERT_EQ(0, mbox_param_write("max_mailboxes", nr + 1));
	fa = mbox_create(self->dev, a, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fa);
	EXPECT_EQ(nr + 1, mbox_count(self->dev));
	EXPECT_EQ(-ENOSPC, mbox_create(self->dev, b, MBOX_FD_RDWR, 0600, 1, 8));
	/* Anonymous mailboxes count too. */
	EXPECT_EQ(-ENOSPC, mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8));
	/* EEXIST is checked before ENOSPC. */
	EXPECT_EQ(-EEXIST, mbox_create(self->dev, a, MBOX_FD_RDWR, 0600, 1, 8));
	EXPECT_EQ(-ENOENT, mbox_open(self->dev, b, MBOX_FD_RECV));
	/* An unlinked mailbox still exists while its fd is open. */
	EXPECT_EQ(0, mbox_unlink(self->dev, a));
	EXPECT_EQ(-ENOSPC, mbox_create(self->dev, b, MBOX_FD_RDWR, 0600, 1, 8));
	close(fa);
	/* Freed with its last fd: room again. */
	EXPECT_EQ(nr, mbox_count(self->dev));
	fb = mbox_create(self->dev, b, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fb);
	close(fb);
	EXPECT_EQ(0, mbox_unlink(self->dev, b));
	/* Restore now as well as in the teardown. */
	EXPECT_EQ(0, mbox_param_write("max_mailboxes", self->saved[0]));
}

TEST_F(limits, lowering_below_count_keeps_existing)
{
	const char *a = mbox_new_name("low-a");
	char buf[8];
	long nr;
	int fa;

	MBOX_SKIP_GUARD();
	NEED_ROOT();
	fa = mbox_create(self->dev, a, MBOX_FD_RDWR, 0600, 1, 8);
	ASSERT_LE(0, fa);
	nr = mbox_count(self->dev);
	ASSERT_LE(1, nr);
	/* Fewer allowed than exist: existing ones keep working. */
	ASSERT_EQ(0, mbox_param_write("max_mailboxes", 1));
	EXPECT_EQ(-ENOSPC, mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8));
	EXPECT_EQ(0, mbox_send(fa, "ok", 2, 0, 0));
	EXPECT_EQ(2, mbox_recv(fa, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_EQ(nr, mbox_count(self->dev));
	close(fa);
	EXPECT_EQ(0, mbox_unlink(self->dev, a));
}

TEST_F(limits, max_capacity_param)
{
	struct mboxio_info info;
	struct mboxio_stat st;
	int fd, old;

	MBOX_SKIP_GUARD();
	NEED_ROOT();
	old = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 8, 8);
	ASSERT_LE(0, old);
	ASSERT_EQ(0, mbox_param_write("max_capacity", 4));
	ASSERT_EQ(0, mbox_info(self->dev, &info));
	EXPECT_EQ(4U, info.max_capacity);
	EXPECT_EQ(-EINVAL, mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 5, 8));
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 4, 8);
	ASSERT_LE(0, fd);
	close(fd);
	/* A mailbox created before keeps its capacity. */
	ASSERT_EQ(0, mbox_stat(old, &st));
	EXPECT_EQ(8U, st.capacity);
	for (fd = 0; fd < 8; fd++)
		EXPECT_EQ(0, mbox_send(old, "c", 1, MBOX_MSG_DONTWAIT, 0));
	close(old);
	EXPECT_EQ(0, mbox_param_write("max_capacity", self->saved[1]));
}

TEST_F(limits, max_msg_size_param)
{
	struct mboxio_info info;
	char buf[64] = { 0 };
	int fd, old;

	MBOX_SKIP_GUARD();
	NEED_ROOT();
	old = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 2, 64);
	ASSERT_LE(0, old);
	ASSERT_EQ(0, mbox_param_write("max_msg_size", 16));
	ASSERT_EQ(0, mbox_info(self->dev, &info));
	EXPECT_EQ(16U, info.max_msg_size);
	EXPECT_EQ(-EINVAL, mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 17));
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 16);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EMSGSIZE, mbox_send(fd, buf, 17, 0, 0));
	close(fd);
	/* The older mailbox keeps its msg_size. */
	EXPECT_EQ(0, mbox_send(old, buf, 64, 0, 0));
	EXPECT_EQ(64, mbox_recv(old, buf, sizeof(buf), 0, 0, NULL));
	close(old);
	EXPECT_EQ(0, mbox_param_write("max_msg_size", self->saved[2]));
}

/* Run out of file descriptors (in a child: the teardown needs some). */
static void use_up_fds(int dev)
{
	struct rlimit rl = { 32, 32 };

	CHILD_CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	while (dup(dev) >= 0)
		;
	CHILD_CHECK(errno == EMFILE);
}

TEST_F(limits, emfile_creates_nothing)
{
	const char *name = mbox_new_name("emfile");
	pid_t pid;
	long nr;

	MBOX_SKIP_GUARD();
	nr = mbox_count(self->dev);
	ASSERT_LE(0, nr);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		use_up_fds(self->dev);
		CHILD_CHECK(mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 1, 8) == -EMFILE);
		CHILD_CHECK(mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8) == -EMFILE);
		CHILD_CHECK(mbox_open(self->dev, name, MBOX_FD_RECV) == -ENOENT);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_reap(pid));
	/* The failed creates left no mailbox behind. */
	EXPECT_EQ(nr, mbox_count(self->dev));
	EXPECT_EQ(-ENOENT, mbox_open(self->dev, name, MBOX_FD_RECV));
}

/* CREATE checks ENOSPC before it allocates the fd (EMFILE). */
TEST_F(limits, enospc_before_emfile)
{
	const char *name = mbox_new_name("nospc");
	int anon = -1;
	pid_t pid;
	long nr;

	MBOX_SKIP_GUARD();
	NEED_ROOT();
	nr = mbox_count(self->dev);
	ASSERT_LE(0, nr);
	if (nr == 0) {
		/* Make the one allowed mailbox exist. */
		anon = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8);
		ASSERT_LE(0, anon);
		nr = 1;
	}
	ASSERT_EQ(0, mbox_param_write("max_mailboxes", nr));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		use_up_fds(self->dev);
		CHILD_CHECK(mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 1, 8) == -ENOSPC);
		CHILD_CHECK(mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 1, 8) == -ENOSPC);
		_exit(0);
	}
	EXPECT_EQ(0, mbox_reap(pid));
	EXPECT_EQ(0, mbox_param_write("max_mailboxes", self->saved[0]));
	if (anon >= 0)
		close(anon);
}

TEST_HARNESS_MAIN
