/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the mbox selftests. They talk to the module through
 * the raw ioctls of <linux/mbox.h>; every wrapper returns the ioctl's result
 * or -errno so tests can ASSERT_EQ(-EAGAIN, ...) directly.
 *
 * Children forked by a test must never use ASSERT_*() (that would longjmp
 * into the harness inside the child); they use CHILD_CHECK() and _exit().
 */
#ifndef __MBOX_HELPERS_H
#define __MBOX_HELPERS_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <grp.h>

#include <linux/mbox.h>

#define MBOX_DEV		"/dev/mbox"

/*
 * The module parameters' defaults as Documentation/limits.rst documents
 * them: the module (module/mbox.h) is checked against these.
 */
#define MBOX_DOC_MAX_MAILBOXES		1024
#define MBOX_DOC_MAX_CAPACITY		1024
#define MBOX_DOC_MAX_MSG_SIZE		65536
#define MBOX_PARAM_DIR		"/sys/module/mbox/parameters/"

/*
 * kselftest_harness.h up to v6.1 still runs a TEST_F() body after its
 * FIXTURE_SETUP() called SKIP(); every test body starts with this.
 */
#define MBOX_SKIP_GUARD() do { if (_metadata->skip) return; } while (0)

/* For forked children: report and exit non-zero on a failed check. */
#define CHILD_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "# child %d: %s:%d: check '%s' failed (errno %d)\n", \
			getpid(), __FILE__, __LINE__, #cond, errno);	\
		_exit(1);						\
	}								\
} while (0)

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

#define MS(x)	((uint64_t)(x) * 1000000ULL)

static inline int mbox_dev_open(void)
{
	int fd = open(MBOX_DEV, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static inline int mbox_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

static inline int mbox_info(int dev, struct mboxio_info *info)
{
	memset(info, 0, sizeof(*info));
	return mbox_ioctl(dev, MBOXIO_INFO, info);
}

static inline int mbox_create(int dev, const char *name, uint32_t flags,
			      uint32_t mode, uint32_t capacity, uint32_t msg_size)
{
	struct mboxio_create c = {
		.name = (uintptr_t)name,
		.flags = flags,
		.mode = mode,
		.capacity = capacity,
		.msg_size = msg_size,
	};

	return mbox_ioctl(dev, MBOXIO_CREATE, &c);
}

static inline int mbox_open(int dev, const char *name, uint32_t flags)
{
	struct mboxio_open o = { .name = (uintptr_t)name, .flags = flags };

	return mbox_ioctl(dev, MBOXIO_OPEN, &o);
}

static inline int mbox_unlink(int dev, const char *name)
{
	struct mboxio_unlink u = { .name = (uintptr_t)name };

	return mbox_ioctl(dev, MBOXIO_UNLINK, &u);
}

static inline int mbox_send(int fd, const void *buf, uint32_t len,
			    uint32_t flags, uint64_t deadline_ns)
{
	struct mboxio_send s = {
		.buf = (uintptr_t)buf,
		.len = len,
		.flags = flags,
		.deadline_ns = deadline_ns,
	};

	return mbox_ioctl(fd, MBOXIO_SEND, &s);
}

/* As mbox_send(), at priority @prio. */
static inline int mbox_send_prio(int fd, const void *buf, uint32_t len,
				 uint32_t prio, uint32_t flags,
				 uint64_t deadline_ns)
{
	struct mboxio_send s = {
		.buf = (uintptr_t)buf,
		.len = len,
		.flags = flags,
		.deadline_ns = deadline_ns,
		.priority = prio,
	};

	return mbox_ioctl(fd, MBOXIO_SEND, &s);
}

static inline int mbox_send_str(int fd, const char *s)
{
	return mbox_send(fd, s, strlen(s), 0, 0);
}

/* @out (may be NULL) receives the whole struct as the kernel left it. */
static inline int mbox_recv(int fd, void *buf, uint32_t size, uint32_t flags,
			    uint64_t deadline_ns, struct mboxio_recv *out)
{
	struct mboxio_recv r = {
		.buf = (uintptr_t)buf,
		.size = size,
		.flags = flags,
		.deadline_ns = deadline_ns,
	};
	int ret = mbox_ioctl(fd, MBOXIO_RECV, &r);

	if (out)
		*out = r;
	return ret;
}

static inline int mbox_stat(int fd, struct mboxio_stat *st)
{
	memset(st, 0xa5, sizeof(*st));
	return mbox_ioctl(fd, MBOXIO_STAT, st);
}

static inline int mbox_shutdown(int fd)
{
	return mbox_ioctl(fd, MBOXIO_SHUTDOWN, NULL);
}

/* nr_mailboxes from MBOXIO_INFO, or -errno. */
static inline long mbox_count(int dev)
{
	struct mboxio_info info;
	int ret = mbox_info(dev, &info);

	return ret < 0 ? ret : (long)info.nr_mailboxes;
}

/*
 * Poll MBOXIO_STAT until the __u32 field at @off equals @want (e.g. until a
 * child is really blocked as a sender), sleeping briefly between looks.
 * Returns 0, or -ETIMEDOUT after about 10 s, or the stat error.
 */
#define MBOX_STAT_FIELD(f)	offsetof(struct mboxio_stat, f)

static inline int mbox_wait_stat(int fd, size_t off, uint32_t want)
{
	uint64_t end = now_ns() + MS(10000);
	struct mboxio_stat st;
	uint32_t v;
	int ret;

	for (;;) {
		ret = mbox_stat(fd, &st);
		if (ret < 0)
			return ret;
		memcpy(&v, (char *)&st + off, sizeof(v));
		if (v == want)
			return 0;
		if (now_ns() > end)
			return -ETIMEDOUT;
		usleep(1000);
	}
}

/*
 * Unique names so tests never collide, recorded so the teardown can unlink
 * whatever a failed test left behind (a leaked name would keep the module
 * from unloading at the end of the run).
 */
#define MBOX_MAX_NAMES 32
static char mbox_names[MBOX_MAX_NAMES][MBOX_NAME_MAX + 1];
static int mbox_nr_names;

static inline const char *mbox_new_name(const char *tag)
{
	static unsigned int counter;
	char *name;

	if (mbox_nr_names >= MBOX_MAX_NAMES)
		abort();
	name = mbox_names[mbox_nr_names++];
	snprintf(name, MBOX_NAME_MAX + 1, "kst.%s.%d.%u", tag, getpid(),
		 counter++);
	return name;
}

/* Remember a name created some other way (fixed names like "."). */
static inline void mbox_track_name(const char *n)
{
	if (mbox_nr_names >= MBOX_MAX_NAMES)
		abort();
	snprintf(mbox_names[mbox_nr_names++], MBOX_NAME_MAX + 1, "%s", n);
}

/* Children forked with mbox_fork() are killed and reaped by the teardown. */
#define MBOX_MAX_CHILDREN 64
static pid_t mbox_children[MBOX_MAX_CHILDREN];
static int mbox_nr_children;

static inline pid_t mbox_fork(void)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid > 0 && mbox_nr_children < MBOX_MAX_CHILDREN)
		mbox_children[mbox_nr_children++] = pid;
	if (pid == 0)
		mbox_nr_children = 0;
	return pid;
}

/*
 * Fork a child that sends @len bytes of @buf to @fd, waiting as long as
 * that takes, and exits: 0 once sent, 1 if the send failed. Returns the
 * child's pid to the parent, or -1.
 */
static inline pid_t mbox_fork_sender(int fd, const void *buf, uint32_t len)
{
	pid_t pid = mbox_fork();

	if (pid == 0) {
		CHILD_CHECK(mbox_send(fd, buf, len, 0, 0) == 0);
		_exit(0);
	}
	return pid;
}

/* Wait for a child: 0 if it exited 0, its exit code, or 1000 + signal. */
static inline int mbox_reap(pid_t pid)
{
	int status, i;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	for (i = 0; i < mbox_nr_children; i++)
		if (mbox_children[i] == pid)
			mbox_children[i] = 0;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 1000 + WTERMSIG(status);
}

/* Teardown: kill leftover children, then unlink every tracked name. */
static inline void mbox_cleanup(int dev)
{
	int i, fd;

	for (i = 0; i < mbox_nr_children; i++) {
		if (mbox_children[i] > 0) {
			kill(mbox_children[i], SIGKILL);
			waitpid(mbox_children[i], NULL, 0);
			mbox_children[i] = 0;
		}
	}
	mbox_nr_children = 0;
	fd = dev >= 0 ? dev : mbox_dev_open();
	if (fd >= 0) {
		for (i = 0; i < mbox_nr_names; i++)
			mbox_unlink(fd, mbox_names[i]);
		if (fd != dev)
			close(fd);
	}
	mbox_nr_names = 0;
}

/* A one-byte handshake over a socketpair instead of sleeps. */
static inline int sync_pair(int sv[2])
{
	return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
}

static inline int sync_post(int sock, char c)
{
	return write(sock, &c, 1) == 1 ? 0 : -1;
}

/* Returns the byte (0..255), or -1 on EOF/error. */
static inline int sync_wait(int sock)
{
	unsigned char c;
	ssize_t n;

	do {
		n = read(sock, &c, 1);
	} while (n < 0 && errno == EINTR);
	return n == 1 ? c : -1;
}

/* 1 if a byte is waiting on @sock right now, 0 if not. */
static inline int sync_ready(int sock)
{
	unsigned char c;

	return recv(sock, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 1;
}

/* Send @fd over the socket @sock (SCM_RIGHTS): 0 or -errno. */
static inline int mbox_send_fd(int sock, int fd)
{
	char c = 'F', cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0) == 1 ? 0 : -errno;
}

/* Receive a fd sent with mbox_send_fd(): the new fd, or -1. */
static inline int mbox_recv_fd(int sock)
{
	char c, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &mh, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* An address that faults: a page mapped and unmapped again. */
static inline void *mbox_bad_ptr(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return (void *)-1L;
	munmap(p, pg);
	return p;
}

/* Drop to @uid/@gid with the given supplementary groups (for children). */
static inline int mbox_become(uid_t uid, gid_t gid, int ngroups,
			      const gid_t *groups)
{
	if (setgroups(ngroups, groups))
		return -errno;
	if (setresgid(gid, gid, gid))
		return -errno;
	if (setresuid(uid, uid, uid))
		return -errno;
	return 0;
}

/* Read or write one module parameter; values are unsigned decimals. */
static inline long mbox_param_read(const char *name)
{
	char path[128], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), MBOX_PARAM_DIR "%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

static inline int mbox_param_write_str(const char *name, const char *val)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), MBOX_PARAM_DIR "%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

static inline int mbox_param_write(const char *name, unsigned long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lu", val);
	return mbox_param_write_str(name, buf);
}

/* MBOXIO_SENDV / MBOXIO_RECVV: how many messages moved, or -errno. */
static inline int mbox_batch(int fd, unsigned long cmd, void *vec,
			     uint32_t count, uint32_t flags, uint64_t deadline_ns)
{
	struct mboxio_batch b = {
		.vec = (uintptr_t)vec,
		.count = count,
		.flags = flags,
		.deadline_ns = deadline_ns,
	};

	return mbox_ioctl(fd, cmd, &b);
}

static inline int mbox_sendv(int fd, struct mboxio_sendmsg *vec, uint32_t count,
			     uint32_t flags, uint64_t deadline_ns)
{
	return mbox_batch(fd, MBOXIO_SENDV, vec, count, flags, deadline_ns);
}

static inline int mbox_recvv(int fd, struct mboxio_recvmsg *vec, uint32_t count,
			     uint32_t flags, uint64_t deadline_ns)
{
	return mbox_batch(fd, MBOXIO_RECVV, vec, count, flags, deadline_ns);
}

/*
 * Wait until task @pid is asleep (state S in /proc/PID/stat), e.g. blocked
 * in poll() after a handshake; 0, or -ETIMEDOUT after about 10 s.
 */
static inline int mbox_wait_sleeping(pid_t pid)
{
	uint64_t end = now_ns() + MS(10000);
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (;;) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = 0;
			p = strrchr(buf, ')');
			if (p && p[1] == ' ' && p[2] == 'S')
				return 0;
		}
		if (now_ns() > end)
			return -ETIMEDOUT;
		usleep(1000);
	}
}

/* Read a whole (small) file into a NUL-terminated malloc'd buffer, or NULL. */
static inline char *mbox_read_file(const char *path)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;
	int fd;

	if (!buf)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return NULL;
	}
	for (;;) {
		if (cap - len < 2048) {
			char *nb = realloc(buf, cap * 2);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = 0;
	return buf;
}

/*
 * For the long-running programs (mbox_stress, mbox_faults, mbox_fuzz): how
 * many seconds to run. "-t SECONDS" on the command line wins, then the
 * environment variable @env, then @def. Fractions are allowed.
 */
static inline double mbox_run_seconds(int argc, char **argv, const char *env,
				      double def)
{
	const char *s = getenv(env);
	double v = def;
	int i;

	if (s && *s && atof(s) > 0)
		v = atof(s);
	for (i = 1; i < argc - 1; i++)
		if (!strcmp(argv[i], "-t") && atof(argv[i + 1]) > 0)
			v = atof(argv[i + 1]);
	return v;
}

/* A small fast PRNG (xorshift64*), one state per thread. */
static inline uint64_t mbox_rand(uint64_t *state)
{
	uint64_t x = *state ? *state : 0x9e3779b97f4a7c15ULL;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* FNV-1a over @len bytes, continuing from @h (start with 2166136261). */
static inline uint32_t mbox_csum(const void *buf, size_t len, uint32_t h)
{
	const uint8_t *p = buf;

	while (len--) {
		h ^= *p++;
		h *= 16777619U;
	}
	return h;
}

/*
 * The errnos uapi/linux/mbox.h documents for the mbox ioctls (ENFILE and
 * EMFILE included): anything else from an mbox call is a bug.
 */
static inline int mbox_errno_documented(int err)
{
	switch (err) {
	case EINVAL: case EFAULT: case ENOTTY: case EBADF: case EEXIST:
	case ENOENT: case EACCES: case ENOSPC: case EMFILE: case ENFILE:
	case ENOMEM: case EMSGSIZE: case EPIPE: case EAGAIN: case ETIMEDOUT:
	case EINTR: case EDQUOT: case E2BIG: case ECONNRESET: case ESRCH:
	case EBUSY:
		return 1;
	}
	return 0;
}

/*
 * The environment every suite's tests run in: /dev/mbox open (the test is
 * skipped without it), a socketpair for parent/child handshakes (sv), and
 * a teardown that removes every mailbox the test created. One way to get
 * it, so each suite's fixture states only its extras:
 *
 *	FIXTURE(name) {
 *		MBOX_ENV_FIELDS;
 *		...extras...
 *	};
 *	FIXTURE_SETUP(name)
 *	{
 *		...extras' "nothing to undo" values...
 *		MBOX_ENV_SETUP();
 *		...extras...
 *	}
 *	FIXTURE_TEARDOWN(name)
 *	{
 *		...extras...
 *		MBOX_ENV_TEARDOWN();
 *	}
 *
 * The harness zeroes the fixture and runs the teardown (and the test:
 * MBOX_SKIP_GUARD()) after a SKIP() in the setup, so a field the teardown
 * undoes gets its "nothing to undo" value before MBOX_ENV_SETUP(), which
 * may SKIP. A teardown that must act between mbox_cleanup() and the close
 * of dev writes MBOX_ENV_TEARDOWN()'s steps out instead. MBOX_FIXTURE(name)
 * is the fixture without extras.
 */
#define MBOX_ENV_FIELDS	int dev; int sv[2]

#define MBOX_ENV_SETUP() do {						\
	self->sv[0] = self->sv[1] = -1;					\
	self->dev = mbox_dev_open();					\
	if (self->dev < 0)						\
		SKIP(return, MBOX_DEV " not available (module not loaded?)"); \
	ASSERT_EQ(0, sync_pair(self->sv));				\
} while (0)

#define MBOX_ENV_TEARDOWN() do {					\
	mbox_cleanup(self->dev);					\
	if (self->sv[0] >= 0) {						\
		close(self->sv[0]);					\
		close(self->sv[1]);					\
	}								\
	if (self->dev >= 0)						\
		close(self->dev);					\
} while (0)

#define MBOX_FIXTURE(name)						\
FIXTURE(name) {								\
	MBOX_ENV_FIELDS;						\
};									\
FIXTURE_SETUP(name)							\
{									\
	MBOX_ENV_SETUP();						\
}									\
FIXTURE_TEARDOWN(name)							\
{									\
	MBOX_ENV_TEARDOWN();						\
}

#endif /* __MBOX_HELPERS_H */
