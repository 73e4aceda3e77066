// SPDX-License-Identifier: GPL-2.0
/*
 * libmbox API tests: argument translation (flags, attr, names), the
 * create/open/unlink/close life cycle, mbox_stat() and mbox_get_info().
 *
 * The first tests need no module: they check what the library rejects
 * before it asks the kernel. The rest SKIP when /dev/mbox is absent.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/mbox.h>		/* MBOX_ABI_VERSION, MBOX_NAME_MAX */

#include "kselftest_harness.h"
#include "helpers.h"

/* Every open(2) bit the library must refuse (O_ACCMODE 3 among them). */
static const int bad_flags[] = {
	O_ACCMODE, O_RDWR | O_CREAT, O_WRONLY | O_EXCL, O_RDONLY | O_TRUNC,
	O_RDWR | O_APPEND, O_RDWR | O_SYNC, O_RDONLY | O_DIRECTORY,
	O_RDWR | O_NOCTTY, O_RDWR | O_NOFOLLOW, O_RDWR | O_PATH,
	O_RDWR | O_TMPFILE, O_RDWR | O_CLOEXEC | O_NONBLOCK | O_CREAT,
	(int)0x80000000, -1,
};

/* Needs no module: bad flags fail EINVAL before /dev/mbox is opened. */
TEST(bad_flags_einval)
{
	char name[64];
	size_t i;

	test_name(name, sizeof(name), "flags");
	for (i = 0; i < sizeof(bad_flags) / sizeof(bad_flags[0]); i++) {
		errno = 0;
		EXPECT_EQ(-1, mbox_create(name, NULL, bad_flags[i]));
		EXPECT_EQ(EINVAL, errno) TH_LOG("create flags %#x", bad_flags[i]);
		errno = 0;
		EXPECT_EQ(-1, mbox_open(name, bad_flags[i]));
		EXPECT_EQ(EINVAL, errno) TH_LOG("open flags %#x", bad_flags[i]);
	}
}

/* Needs no module: a length the ABI cannot carry is EMSGSIZE at once
 * (the fd -1 would give EBADF if the kernel were asked). */
TEST(send_len_beyond_u32_emsgsize)
{
	static char buf[16];
	size_t len;

	if (SIZE_MAX <= UINT32_MAX)
		SKIP(return, "size_t is 32 bits");
	len = (size_t)UINT32_MAX + 1;

	errno = 0;
	EXPECT_EQ(-1, mbox_send(-1, buf, len));
	EXPECT_EQ(EMSGSIZE, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_trysend(-1, buf, len));
	EXPECT_EQ(EMSGSIZE, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_timedsend(-1, buf, len, NSEC_PER_SEC));
	EXPECT_EQ(EMSGSIZE, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_send(-1, buf, SIZE_MAX));
	EXPECT_EQ(EMSGSIZE, errno);
}

/* Needs no module: NULL out-pointers are EFAULT, not a crash. */
TEST(null_out_pointers_efault)
{
	errno = 0;
	EXPECT_EQ(-1, mbox_stat(-1, NULL));
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_get_info(NULL));
	EXPECT_EQ(EFAULT, errno);
}

/* Needs no fd: calls on a bad fd fail EBADF like any fd call. */
TEST(bad_fd_ebadf)
{
	struct mbox_stat st;
	char buf[8];

	errno = 0;
	EXPECT_EQ(-1, mbox_trysend(-1, "x", 1));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_tryrecv(-1, buf, sizeof(buf), NULL));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_stat(-1, &st));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_shutdown(-1));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_close(-1));
	EXPECT_EQ(EBADF, errno);
}

/* Not a mailbox fd: the kernel's ENOTTY comes through. */
TEST(not_a_mailbox_enotty)
{
	struct mbox_stat st;
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	errno = 0;
	EXPECT_EQ(-1, mbox_stat(fd, &st));
	EXPECT_EQ(ENOTTY, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_trysend(fd, "x", 1));
	EXPECT_EQ(ENOTTY, errno);
	close(fd);
}

/* Without the module every device call keeps open()'s errno: ENOENT. */
TEST(no_device_enoent)
{
	struct mbox_info info;
	char name[64];

	if (!access(MBOX_DEV, F_OK))
		SKIP(return, MBOX_DEV " exists: the module is loaded");

	test_name(name, sizeof(name), "nodev");
	errno = 0;
	EXPECT_EQ(-1, mbox_get_info(&info));
	EXPECT_EQ(ENOENT, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_create(name, NULL, O_RDWR));
	EXPECT_EQ(ENOENT, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_create(NULL, NULL, O_RDWR));
	EXPECT_EQ(ENOENT, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_open(name, O_RDWR));
	EXPECT_EQ(ENOENT, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_unlink(name));
	EXPECT_EQ(ENOENT, errno);
}

TEST(get_info)
{
	struct mbox_info info, after;
	int mb;

	REQUIRE_MBOX();

	memset(&info, 0xff, sizeof(info));
	ASSERT_EQ(0, mbox_get_info(&info));
	EXPECT_EQ(MBOX_ABI_VERSION, info.version);
	EXPECT_EQ(MBOX_NAME_MAX, info.name_max);
	EXPECT_LE(1, info.max_mailboxes);
	EXPECT_LE(1, info.max_capacity);
	EXPECT_LE(1, info.max_msg_size);
	EXPECT_GE(info.max_mailboxes, info.nr_mailboxes);

	mb = mbox_create(NULL, NULL, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, mb);
	ASSERT_EQ(0, mbox_get_info(&after));
	/* Other tests may run in parallel: at least ours is counted. */
	EXPECT_LE(1, after.nr_mailboxes);
	EXPECT_EQ(info.max_mailboxes, after.max_mailboxes);
	EXPECT_EQ(0, mbox_close(mb));
}

/* attr == NULL: the uapi header's documented defaults. */
TEST(attr_null_defaults)
{
	struct mbox_stat st;
	int mb;

	REQUIRE_MBOX();

	umask(022);
	mb = mbox_create(NULL, NULL, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, mb);
	memset(&st, 0xff, sizeof(st));
	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(MBOX_DEFAULT_CAPACITY, st.capacity);
	EXPECT_EQ(MBOX_DEFAULT_MSG_SIZE, st.msg_size);
	EXPECT_EQ(MBOX_DEFAULT_MODE & ~022, st.mode);
	EXPECT_EQ(geteuid(), st.uid);
	EXPECT_EQ(getegid(), st.gid);
	EXPECT_EQ(0, st.shutdown);
	EXPECT_EQ(1, st.unlinked);	/* anonymous */
	EXPECT_EQ(0, st.queued);
	EXPECT_EQ(0, st.waiting_senders);
	EXPECT_EQ(0, st.waiting_receivers);
	EXPECT_EQ(0, st.queued_bytes);
	EXPECT_EQ(0, st.sent);
	EXPECT_EQ(0, st.received);
	EXPECT_EQ(0, mbox_close(mb));
}

/* attr values pass unmodified; the mode is masked by the umask. */
TEST(attr_explicit)
{
	struct mbox_attr attr = { .capacity = 0, .msg_size = 100, .mode = 0666 };
	struct mbox_stat st;
	char name[64];
	int mb;

	REQUIRE_MBOX();

	test_name(name, sizeof(name), "attr");
	umask(027);
	mb = mbox_create(name, &attr, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, mb);
	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(0, st.capacity);
	EXPECT_EQ(100, st.msg_size);
	EXPECT_EQ(0640, st.mode);
	EXPECT_EQ(0, st.unlinked);
	EXPECT_EQ(0, mbox_unlink(name));
	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(1, st.unlinked);
	EXPECT_EQ(0, mbox_close(mb));

	umask(0);
	attr.capacity = 3;
	attr.mode = 0604;
	mb = mbox_create(NULL, &attr, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, mb);
	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(3, st.capacity);
	EXPECT_EQ(0604, st.mode);
	EXPECT_EQ(0, mbox_close(mb));
}

TEST(attr_invalid_einval)
{
	struct mbox_info info;
	struct mbox_attr attr;
	struct mbox_attr bad[4];
	size_t i;

	REQUIRE_MBOX();

	ASSERT_EQ(0, mbox_get_info(&info));
	attr = (struct mbox_attr){ .capacity = 1, .msg_size = 16, .mode = 0600 };
	for (i = 0; i < 4; i++)
		bad[i] = attr;
	bad[0].mode = 01600;				/* beyond 0777 */
	bad[1].msg_size = 0;
	bad[2].msg_size = info.max_msg_size + 1;
	bad[3].capacity = info.max_capacity + 1;

	for (i = 0; i < 4; i++) {
		errno = 0;
		EXPECT_EQ(-1, mbox_create(NULL, &bad[i], O_RDWR | O_CLOEXEC));
		EXPECT_EQ(EINVAL, errno) TH_LOG("bad attr #%zu", i);
	}
}

TEST(names)
{
	char name[MBOX_NAME_MAX + 2];
	const char *bad[] = { "", "a/b", "/a", "a/" };
	const char *odd[] = { "a b", "caf\xc3\xa9", "x\n", "a:b", "(anonymous)" };
	size_t i;
	int mb;

	REQUIRE_MBOX();

	/* Any bytes but '/' are a name. */
	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		mb = mbox_create(odd[i], NULL, O_RDWR | O_CLOEXEC);
		EXPECT_LE(0, mb) TH_LOG("create \"%s\": %d", odd[i], errno);
		if (mb >= 0) {
			EXPECT_EQ(0, mbox_unlink(odd[i]));
			EXPECT_EQ(0, mbox_close(mb));
		}
	}

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		EXPECT_EQ(-1, mbox_create(bad[i], NULL, O_RDWR));
		EXPECT_EQ(EINVAL, errno) TH_LOG("create \"%s\"", bad[i]);
		errno = 0;
		EXPECT_EQ(-1, mbox_open(bad[i], O_RDWR));
		EXPECT_EQ(EINVAL, errno) TH_LOG("open \"%s\"", bad[i]);
		errno = 0;
		EXPECT_EQ(-1, mbox_unlink(bad[i]));
		EXPECT_EQ(EINVAL, errno) TH_LOG("unlink \"%s\"", bad[i]);
	}

	/* NULL names only create (anonymous). */
	errno = 0;
	EXPECT_EQ(-1, mbox_open(NULL, O_RDWR));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_unlink(NULL));
	EXPECT_EQ(EINVAL, errno);

	/* MBOX_NAME_MAX bytes fit, one more does not. */
	snprintf(name, sizeof(name), "libmbox-test.%d.", (int)getpid());
	memset(name + strlen(name), 'n', sizeof(name) - 1 - strlen(name));
	name[sizeof(name) - 1] = '\0';
	ASSERT_EQ(MBOX_NAME_MAX + 1, strlen(name));
	errno = 0;
	EXPECT_EQ(-1, mbox_create(name, NULL, O_RDWR));
	EXPECT_EQ(EINVAL, errno);
	name[MBOX_NAME_MAX] = '\0';
	mb = mbox_create(name, NULL, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, mb);
	EXPECT_EQ(0, mbox_unlink(name));
	EXPECT_EQ(0, mbox_close(mb));
}

/* O_RDONLY receives only, O_WRONLY sends only: the other is EBADF. */
TEST(access_mode_ebadf)
{
	struct mbox_stat st;
	char name[64], buf[16];
	int rd, wr;

	REQUIRE_MBOX();

	test_name(name, sizeof(name), "access");
	rd = mbox_create(name, NULL, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, rd);
	wr = mbox_open(name, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, wr);
	EXPECT_EQ(0, mbox_unlink(name));

	EXPECT_EQ(O_RDONLY, fcntl(rd, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(O_WRONLY, fcntl(wr, F_GETFL) & O_ACCMODE);

	errno = 0;
	EXPECT_EQ(-1, mbox_trysend(rd, "x", 1));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_send(rd, "x", 1));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_shutdown(rd));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_tryrecv(wr, buf, sizeof(buf), NULL));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_recv(wr, buf, sizeof(buf), NULL));
	EXPECT_EQ(EBADF, errno);

	/* Each may do its own half, and both may stat. */
	EXPECT_EQ(0, mbox_trysend(wr, "hi", 2));
	EXPECT_EQ(2, mbox_tryrecv(rd, buf, sizeof(buf), NULL));
	EXPECT_EQ(0, mbox_stat(rd, &st));
	EXPECT_EQ(0, mbox_stat(wr, &st));
	EXPECT_EQ(1, st.received);

	EXPECT_EQ(0, mbox_close(rd));
	EXPECT_EQ(0, mbox_close(wr));
}

TEST(cloexec_and_nonblock)
{
	char buf[8];
	int mb;

	REQUIRE_MBOX();

	mb = mbox_create(NULL, NULL, O_RDWR);
	ASSERT_LE(0, mb);
	EXPECT_EQ(0, fcntl(mb, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, fcntl(mb, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(O_RDWR, fcntl(mb, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(0, mbox_close(mb));

	mb = mbox_create(NULL, NULL, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	ASSERT_LE(0, mb);
	EXPECT_EQ(FD_CLOEXEC, fcntl(mb, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_NONBLOCK, fcntl(mb, F_GETFL) & O_NONBLOCK);
	/* An O_NONBLOCK fd never waits, even in the "forever" calls. */
	errno = 0;
	EXPECT_EQ(-1, mbox_recv(mb, buf, sizeof(buf), NULL));
	EXPECT_EQ(EAGAIN, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_timedrecv(mb, buf, sizeof(buf), NULL, NSEC_PER_SEC));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, mbox_close(mb));
}

/* create, EEXIST, open, unlink, ENOENT, the fds still work, the name
 * can be reused, queued messages survive while no fd is open. */
TEST(create_open_unlink_round_trip)
{
	struct mbox_msginfo info;
	struct mbox_stat st;
	char name[64], buf[32];
	int mb, snd, again;

	REQUIRE_MBOX();

	test_name(name, sizeof(name), "roundtrip");
	mb = mbox_create(name, NULL, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, mb);

	errno = 0;
	EXPECT_EQ(-1, mbox_create(name, NULL, O_RDWR | O_CLOEXEC));
	EXPECT_EQ(EEXIST, errno);

	snd = mbox_open(name, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, snd);
	ASSERT_EQ(0, mbox_send(snd, "one", 3));
	EXPECT_EQ(0, mbox_close(snd));

	/* Close every fd: the named mailbox and its message stay. */
	EXPECT_EQ(0, mbox_close(mb));
	mb = mbox_open(name, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, mb);
	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(1, st.queued);
	EXPECT_EQ(3, mbox_recv(mb, buf, sizeof(buf), &info));
	EXPECT_EQ(0, memcmp(buf, "one", 3));
	EXPECT_EQ(1, info.seq);

	ASSERT_EQ(0, mbox_unlink(name));
	errno = 0;
	EXPECT_EQ(-1, mbox_open(name, O_RDWR));
	EXPECT_EQ(ENOENT, errno);
	errno = 0;
	EXPECT_EQ(-1, mbox_unlink(name));
	EXPECT_EQ(ENOENT, errno);

	/* Unlinked, the open fd still works... */
	ASSERT_EQ(0, mbox_stat(mb, &st));
	EXPECT_EQ(1, st.unlinked);
	EXPECT_EQ(0, mbox_send(mb, "two", 3));
	EXPECT_EQ(3, mbox_recv(mb, buf, sizeof(buf), &info));
	EXPECT_EQ(2, info.seq);

	/* ...and the name is free for a new, different mailbox. */
	again = mbox_create(name, NULL, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, again);
	ASSERT_EQ(0, mbox_stat(again, &st));
	EXPECT_EQ(0, st.received);
	EXPECT_EQ(0, st.unlinked);
	EXPECT_EQ(0, mbox_unlink(name));

	EXPECT_EQ(0, mbox_close(again));
	EXPECT_EQ(0, mbox_close(mb));
}

/* The mode decides who may open for what; only the owner may unlink. A
 * child drops to an unprivileged user to be refused. */
TEST(permissions_eacces)
{
	struct mbox_attr attr = { .capacity = 1, .msg_size = 8, .mode = 0604 };
	struct mbox_info info;
	char name[64];
	int mb, status;
	pid_t child;

	REQUIRE_MBOX();
	if (geteuid() != 0)
		SKIP(return, "needs root to switch to an unprivileged user");

	umask(0);
	test_name(name, sizeof(name), "perm");
	mb = mbox_create(name, &attr, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, mb);

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		int fd;

		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(1);
		/* Others may read (receive) but not write (send). */
		fd = mbox_open(name, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			_exit(2);
		close(fd);
		errno = 0;
		if (mbox_open(name, O_WRONLY | O_CLOEXEC) != -1 || errno != EACCES)
			_exit(3);
		errno = 0;
		if (mbox_open(name, O_RDWR | O_CLOEXEC) != -1 || errno != EACCES)
			_exit(4);
		errno = 0;
		if (mbox_unlink(name) != -1 || errno != EACCES)
			_exit(5);
		/* /dev/mbox itself is open to everyone. */
		if (mbox_get_info(&info))
			_exit(6);
		_exit(0);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));

	EXPECT_EQ(0, mbox_unlink(name));
	EXPECT_EQ(0, mbox_close(mb));
}

TEST_HARNESS_MAIN
