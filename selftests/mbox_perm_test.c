// SPDX-License-Identifier: GPL-2.0
/*
 * mbox access control, checked from children that drop to ordinary users:
 * open needs read permission for MBOX_FD_RECV and write permission for
 * MBOX_FD_SEND (owner, then group incl. supplementary groups, then other
 * bits, like a file open), only the owner may unlink, the creator's fd gets
 * what it asked for whatever the mode, mode is masked by the umask, and
 * CAP_DAC_OVERRIDE (root) bypasses all of it. Send on a receive-only fd and
 * receive on a send-only fd fail EBADF.
 */
#define _GNU_SOURCE
#include <sys/resource.h>

#include "mbox_helpers.h"
#include "../kselftest_harness.h"

#define OWNER_UID	1234
#define OWNER_GID	1234
#define USER_UID	1000
#define USER_GID	1000

FIXTURE(perm) {
	MBOX_ENV_FIELDS;
};

FIXTURE_SETUP(perm)
{
	MBOX_ENV_SETUP();
	if (geteuid() != 0)
		SKIP(return, "needs root to switch to test users");
}

FIXTURE_TEARDOWN(perm)
{
	MBOX_ENV_TEARDOWN();
}

/* Create @name as OWNER_UID:OWNER_GID with exactly @mode (umask 0). */
static int create_as_owner(const char *name, uint32_t mode)
{
	pid_t pid = mbox_fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int dev, fd;

		CHILD_CHECK(mbox_become(OWNER_UID, OWNER_GID, 0, NULL) == 0);
		umask(0);
		dev = mbox_dev_open();
		CHILD_CHECK(dev >= 0);
		fd = mbox_create(dev, name, MBOX_FD_RDWR, mode, 2, 16);
		CHILD_CHECK(fd >= 0);
		_exit(0);
	}
	return mbox_reap(pid);
}

/*
 * In a child running as @uid/@gid (+ @groups): try opening @name for
 * receive, send and both, and compare with the expected results.
 */
static int try_open_as(const char *name, uid_t uid, gid_t gid, int ngroups,
		       const gid_t *groups, int want_recv, int want_send,
		       int want_rdwr)
{
	pid_t pid = mbox_fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int dev, fd;

		CHILD_CHECK(mbox_become(uid, gid, ngroups, groups) == 0);
		dev = mbox_dev_open();
		CHILD_CHECK(dev >= 0);
		fd = mbox_open(dev, name, MBOX_FD_RECV);
		CHILD_CHECK((fd >= 0 ? 0 : fd) == want_recv);
		if (fd >= 0)
			close(fd);
		fd = mbox_open(dev, name, MBOX_FD_SEND);
		CHILD_CHECK((fd >= 0 ? 0 : fd) == want_send);
		if (fd >= 0)
			close(fd);
		fd = mbox_open(dev, name, MBOX_FD_RDWR);
		CHILD_CHECK((fd >= 0 ? 0 : fd) == want_rdwr);
		if (fd >= 0)
			close(fd);
		_exit(0);
	}
	return mbox_reap(pid);
}

TEST_F(perm, owner_bits)
{
	const char *ro = mbox_new_name("own-r");
	const char *wo = mbox_new_name("own-w");
	const char *none = mbox_new_name("own-0");

	MBOX_SKIP_GUARD();
	ASSERT_EQ(0, create_as_owner(ro, 0400));
	ASSERT_EQ(0, create_as_owner(wo, 0200));
	ASSERT_EQ(0, create_as_owner(none, 0077));
	EXPECT_EQ(0, try_open_as(ro, OWNER_UID, OWNER_GID, 0, NULL,
				 0, -EACCES, -EACCES));
	EXPECT_EQ(0, try_open_as(wo, OWNER_UID, OWNER_GID, 0, NULL,
				 -EACCES, 0, -EACCES));
	/* The owner class applies to the owner even when group/other allow. */
	EXPECT_EQ(0, try_open_as(none, OWNER_UID, OWNER_GID, 0, NULL,
				 -EACCES, -EACCES, -EACCES));
}

TEST_F(perm, group_bits)
{
	const char *name = mbox_new_name("grp");
	const gid_t supp[] = { 4321, OWNER_GID };

	MBOX_SKIP_GUARD();
	ASSERT_EQ(0, create_as_owner(name, 0640));
	/* Primary group matches. */
	EXPECT_EQ(0, try_open_as(name, USER_UID, OWNER_GID, 0, NULL,
				 0, -EACCES, -EACCES));
	/* A supplementary group matches. */
	EXPECT_EQ(0, try_open_as(name, USER_UID, USER_GID, 2, supp,
				 0, -EACCES, -EACCES));
	/* No group match: other bits (none). */
	EXPECT_EQ(0, try_open_as(name, USER_UID, USER_GID, 0, NULL,
				 -EACCES, -EACCES, -EACCES));
}

TEST_F(perm, group_write_only)
{
	const char *name = mbox_new_name("grpw");
	const gid_t supp[] = { OWNER_GID };

	MBOX_SKIP_GUARD();
	ASSERT_EQ(0, create_as_owner(name, 0624));
	/* Group class wins over the more generous other bits. */
	EXPECT_EQ(0, try_open_as(name, USER_UID, USER_GID, 1, supp,
				 -EACCES, 0, -EACCES));
	EXPECT_EQ(0, try_open_as(name, USER_UID, USER_GID, 0, NULL,
				 0, -EACCES, -EACCES));
}

TEST_F(perm, other_bits)
{
	const char *rw = mbox_new_name("oth-rw");
	const char *w = mbox_new_name("oth-w");
	const char *none = mbox_new_name("oth-0");

	MBOX_SKIP_GUARD();
	ASSERT_EQ(0, create_as_owner(rw, 0606));
	ASSERT_EQ(0, create_as_owner(w, 0602));
	ASSERT_EQ(0, create_as_owner(none, 0660));
	EXPECT_EQ(0, try_open_as(rw, USER_UID, USER_GID, 0, NULL, 0, 0, 0));
	EXPECT_EQ(0, try_open_as(w, USER_UID, USER_GID, 0, NULL,
				 -EACCES, 0, -EACCES));
	EXPECT_EQ(0, try_open_as(none, 65534, 65534, 0, NULL,
				 -EACCES, -EACCES, -EACCES));
}

TEST_F(perm, unlink_only_by_owner)
{
	const char *name = mbox_new_name("unl");
	pid_t pid;

	MBOX_SKIP_GUARD();
	ASSERT_EQ(0, create_as_owner(name, 0666));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		const gid_t supp[] = { OWNER_GID };
		int dev;

		/* Full access through the mode and the group is not enough. */
		CHILD_CHECK(mbox_become(USER_UID, OWNER_GID, 1, supp) == 0);
		dev = mbox_dev_open();
		CHILD_CHECK(dev >= 0);
		CHILD_CHECK(mbox_unlink(dev, name) == -EACCES);
		/* Error order: ENOENT before EACCES, EINVAL before both. */
		CHILD_CHECK(mbox_unlink(dev, "kst.no-such-name") == -ENOENT);
		CHILD_CHECK(mbox_unlink(dev, "bad/name") == -EINVAL);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_reap(pid));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int dev;

		CHILD_CHECK(mbox_become(OWNER_UID, OWNER_GID, 0, NULL) == 0);
		dev = mbox_dev_open();
		CHILD_CHECK(dev >= 0);
		CHILD_CHECK(mbox_unlink(dev, name) == 0);
		CHILD_CHECK(mbox_unlink(dev, name) == -ENOENT);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_reap(pid));
	EXPECT_EQ(-ENOENT, mbox_open(self->dev, name, MBOX_FD_RECV));
}

TEST_F(perm, root_bypasses)
{
	const char *name = mbox_new_name("root");
	struct mboxio_stat st;
	int fd;

	MBOX_SKIP_GUARD();
	ASSERT_EQ(0, create_as_owner(name, 0000));
	fd = mbox_open(self->dev, name, MBOX_FD_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0U, st.mode);
	EXPECT_EQ((__u32)OWNER_UID, st.uid);
	EXPECT_EQ((__u32)OWNER_GID, st.gid);
	EXPECT_EQ(0, mbox_send(fd, "r", 1, 0, 0));
	close(fd);
	EXPECT_EQ(0, mbox_unlink(self->dev, name));
}

TEST_F(perm, creator_fd_has_requested_access)
{
	const char *name = mbox_new_name("creat");
	pid_t pid;

	MBOX_SKIP_GUARD();
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char buf[4];
		int dev, fd;

		CHILD_CHECK(mbox_become(USER_UID, USER_GID, 0, NULL) == 0);
		umask(0);
		dev = mbox_dev_open();
		CHILD_CHECK(dev >= 0);
		fd = mbox_create(dev, name, MBOX_FD_RDWR, 0000, 1, 4);
		CHILD_CHECK(fd >= 0);
		CHILD_CHECK(mbox_send(fd, "own", 3, 0, 0) == 0);
		CHILD_CHECK(mbox_recv(fd, buf, sizeof(buf), 0, 0, NULL) == 3);
		/* Opening it again goes through the mode. */
		CHILD_CHECK(mbox_open(dev, name, MBOX_FD_RECV) == -EACCES);
		CHILD_CHECK(mbox_open(dev, name, MBOX_FD_SEND) == -EACCES);
		CHILD_CHECK(mbox_unlink(dev, name) == 0);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_reap(pid));
}

TEST_F(perm, umask_masks_mode)
{
	static const struct { mode_t umask; uint32_t mode, want; } cases[] = {
		{ 022, 0666, 0644 },
		{ 027, 0777, 0750 },
		{ 077, 0644, 0600 },
		{ 000, 0666, 0666 },
		{ 0777, 0666, 0000 },
	};
	struct mboxio_stat st;
	unsigned int i;
	int fd;

	MBOX_SKIP_GUARD();
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *name = mbox_new_name("umask");

		umask(cases[i].umask);
		fd = mbox_create(self->dev, name, MBOX_FD_RDWR, cases[i].mode, 1, 4);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, mbox_stat(fd, &st));
		EXPECT_EQ(cases[i].want, st.mode)
			TH_LOG("umask %03o mode %03o", cases[i].umask, cases[i].mode);
		close(fd);
		EXPECT_EQ(0, mbox_unlink(self->dev, name));
	}
	/* Anonymous mailboxes are masked too. */
	umask(077);
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0666, 1, 4);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(0600U, st.mode);
	close(fd);
}

TEST_F(perm, umask_applies_to_nonroot_open)
{
	const char *name = mbox_new_name("umask2");
	pid_t pid;

	MBOX_SKIP_GUARD();
	/* 0666 & ~066: other users are locked out. */
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int dev;

		CHILD_CHECK(mbox_become(OWNER_UID, OWNER_GID, 0, NULL) == 0);
		umask(066);
		dev = mbox_dev_open();
		CHILD_CHECK(dev >= 0);
		CHILD_CHECK(mbox_create(dev, name, MBOX_FD_RDWR, 0666, 1, 4) >= 0);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_reap(pid));
	EXPECT_EQ(0, try_open_as(name, USER_UID, USER_GID, 0, NULL,
				 -EACCES, -EACCES, -EACCES));
	EXPECT_EQ(0, try_open_as(name, OWNER_UID, OWNER_GID, 0, NULL, 0, 0, 0));
}

TEST_F(perm, fd_access_modes)
{
	const char *name = mbox_new_name("acc");
	struct mboxio_stat st;
	char buf[8];
	int rw, ro, wo;

	MBOX_SKIP_GUARD();
	rw = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 2, 8);
	ASSERT_LE(0, rw);
	ro = mbox_open(self->dev, name, MBOX_FD_RECV);
	ASSERT_LE(0, ro);
	wo = mbox_open(self->dev, name, MBOX_FD_SEND);
	ASSERT_LE(0, wo);
	EXPECT_EQ(O_RDWR, fcntl(rw, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(O_RDONLY, fcntl(ro, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(O_WRONLY, fcntl(wo, F_GETFL) & O_ACCMODE);

	EXPECT_EQ(-EBADF, mbox_send(ro, "x", 1, 0, 0));
	EXPECT_EQ(-EBADF, mbox_send(ro, "x", 1, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(0, mbox_send(wo, "y", 1, 0, 0));
	EXPECT_EQ(-EBADF, mbox_recv(wo, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_EQ(-EBADF, mbox_recv(wo, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	EXPECT_EQ(1, mbox_recv(ro, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_EQ('y', buf[0]);
	/* Everyone may stat. */
	EXPECT_EQ(0, mbox_stat(wo, &st));
	EXPECT_EQ(0, mbox_stat(ro, &st));
	EXPECT_EQ(1U, st.sent);

	/* Same for a receive-only or send-only creator fd. */
	close(rw);
	close(ro);
	close(wo);
	EXPECT_EQ(0, mbox_unlink(self->dev, name));
	ro = mbox_create(self->dev, name, MBOX_FD_RECV, 0600, 2, 8);
	ASSERT_LE(0, ro);
	EXPECT_EQ(O_RDONLY, fcntl(ro, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(-EBADF, mbox_send(ro, "x", 1, 0, 0));
	close(ro);
	EXPECT_EQ(0, mbox_unlink(self->dev, name));
	wo = mbox_create(self->dev, name, MBOX_FD_SEND, 0600, 2, 8);
	ASSERT_LE(0, wo);
	EXPECT_EQ(O_WRONLY, fcntl(wo, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(-EBADF, mbox_recv(wo, buf, sizeof(buf), 0, 0, NULL));
	close(wo);
	EXPECT_EQ(0, mbox_unlink(self->dev, name));
}

/* EACCES is checked before a file descriptor is allocated (EMFILE). */
TEST_F(perm, eacces_before_emfile)
{
	const char *denied = mbox_new_name("emf-d");
	const char *allowed = mbox_new_name("emf-a");
	pid_t pid;

	MBOX_SKIP_GUARD();
	ASSERT_EQ(0, create_as_owner(denied, 0600));
	ASSERT_EQ(0, create_as_owner(allowed, 0606));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct rlimit rl = { 16, 16 };
		int dev;

		CHILD_CHECK(mbox_become(USER_UID, USER_GID, 0, NULL) == 0);
		dev = mbox_dev_open();
		CHILD_CHECK(dev >= 0);
		CHILD_CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
		while (dup(dev) >= 0)
			;
		CHILD_CHECK(errno == EMFILE);
		CHILD_CHECK(mbox_open(dev, denied, MBOX_FD_RECV) == -EACCES);
		CHILD_CHECK(mbox_open(dev, allowed, MBOX_FD_RECV) == -EMFILE);
		CHILD_CHECK(mbox_open(dev, "kst.no-such-name", MBOX_FD_RECV) == -ENOENT);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_reap(pid));
}

TEST_HARNESS_MAIN
