// SPDX-License-Identifier: GPL-2.0
/*
 * mbox memory accounting: queued messages are charged to the sender's
 * memory cgroup. A sender confined to a small cgroup v2 memory.max that
 * floods a big mailbox gets ENOMEM (it is not OOM-killed), every message
 * queued before that stays intact and receivable, the cgroup's
 * memory.current grew by at least what is queued, and draining the
 * mailbox gives the memory back.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include "mbox_helpers.h"
#include "../kselftest_harness.h"

#define CG_ROOT		"/sys/fs/cgroup"
#define MSG_LEN		(64 * 1024)
#define CG_MAX		(4UL << 20)
#define CAPACITY	1024

/* What the child reports through a shared page. */
struct flood_result {
	int sent;
	int err;
	int done;
};

static int write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

/* A single number file (memory.current) or a "key value" line of one. */
static long long read_num(const char *path, const char *key)
{
	char *text = mbox_read_file(path), *p;
	long long v = -1;

	if (!text)
		return -1;
	if (!key) {
		v = strtoll(text, NULL, 10);
	} else {
		size_t kl = strlen(key);

		for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
			if (!strncmp(p, key, kl) && p[kl] == ' ') {
				v = strtoll(p + kl + 1, NULL, 10);
				break;
			}
		}
	}
	free(text);
	return v;
}

static int has_word(const char *path, const char *word)
{
	char *text = mbox_read_file(path), *tok, *save = NULL;
	int found = 0;

	if (!text)
		return 0;
	for (tok = strtok_r(text, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		if (!strcmp(tok, word))
			found = 1;
	free(text);
	return found;
}

static int is_cgroup2(const char *path)
{
	struct statfs sf;

	return !statfs(path, &sf) && sf.f_type == CGROUP2_SUPER_MAGIC;
}

FIXTURE(memcg) {
	MBOX_ENV_FIELDS;
	int mounted;
	int enabled_memory;
	char cg[128];
	char file[256];
	struct flood_result *res;
};

static const char *cgfile(FIXTURE_DATA(memcg) *self, const char *name)
{
	snprintf(self->file, sizeof(self->file), "%s/%s", self->cg, name);
	return self->file;
}

FIXTURE_SETUP(memcg)
{
	struct mboxio_info info;

	self->cg[0] = 0;
	self->res = MAP_FAILED;
	MBOX_ENV_SETUP();
	ASSERT_EQ(0, mbox_info(self->dev, &info));
	if (info.max_msg_size < MSG_LEN || info.max_capacity < CAPACITY)
		SKIP(return, "max_msg_size/max_capacity below 64 KiB/1024");

	if (!is_cgroup2(CG_ROOT)) {
		if (mount("cgroup2", CG_ROOT, "cgroup2", 0, NULL))
			SKIP(return, "cannot mount cgroup2 at " CG_ROOT ": %s",
			     strerror(errno));
		self->mounted = 1;
	}
	if (!has_word(CG_ROOT "/cgroup.controllers", "memory"))
		SKIP(return, "cgroup v2 memory controller unavailable");
	if (!has_word(CG_ROOT "/cgroup.subtree_control", "memory")) {
		if (write_str(CG_ROOT "/cgroup.subtree_control", "+memory"))
			SKIP(return, "cannot enable the memory controller");
		self->enabled_memory = 1;
	}
	snprintf(self->cg, sizeof(self->cg), CG_ROOT "/kst-mbox-memcg-%d", getpid());
	ASSERT_EQ(0, mkdir(self->cg, 0755)) {
		self->cg[0] = 0;
	}
	ASSERT_EQ(0, access(cgfile(self, "memory.max"), W_OK));
	self->res = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->res);
	memset(self->res, 0, sizeof(*self->res));
}

FIXTURE_TEARDOWN(memcg)
{
	/* MBOX_ENV_TEARDOWN() written out: its children die before their cgroup goes. */
	mbox_cleanup(self->dev);
	if (self->cg[0] && rmdir(self->cg))
		TH_LOG("rmdir %s: %s", self->cg, strerror(errno));
	if (self->enabled_memory)
		write_str(CG_ROOT "/cgroup.subtree_control", "-memory");
	if (self->mounted)
		umount(CG_ROOT);
	if (self->res != MAP_FAILED)
		munmap(self->res, sysconf(_SC_PAGESIZE));
	if (self->sv[0] >= 0) {
		close(self->sv[0]);
		close(self->sv[1]);
	}
	if (self->dev >= 0)
		close(self->dev);
}

/* Message @i: its index in the first 4 bytes, then a pattern from @i. */
static void fill_msg(unsigned char *buf, int i)
{
	int k;

	memcpy(buf, &i, sizeof(i));
	for (k = sizeof(i); k < MSG_LEN; k++)
		buf[k] = (unsigned char)(i * 31 + k);
}

static int check_msg(const unsigned char *buf, int i)
{
	int k, got;

	memcpy(&got, buf, sizeof(got));
	if (got != i)
		return -1;
	for (k = sizeof(i); k < MSG_LEN; k++)
		if (buf[k] != (unsigned char)(i * 31 + k))
			return k;
	return 0;
}

TEST_F(memcg, flood_gets_enomem_and_is_charged)
{
	long long base, peak, after, oom_kills, max_events;
	char pidbuf[32], val[32];
	struct mboxio_recv r;
	struct mboxio_stat st;
	unsigned char *buf;
	int fd, i, ret;
	pid_t pid;

	MBOX_SKIP_GUARD();
	buf = malloc(MSG_LEN);
	ASSERT_NE(NULL, buf);
	memset(buf, 0, MSG_LEN);
	snprintf(val, sizeof(val), "%lu", CG_MAX);
	ASSERT_EQ(0, write_str(cgfile(self, "memory.max"), val));
	/* No swap to push anything into, and none to hide charges in. */
	if (!access(cgfile(self, "memory.swap.max"), F_OK))
		write_str(cgfile(self, "memory.swap.max"), "0");

	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, CAPACITY, MSG_LEN);
	ASSERT_LE(0, fd);

	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/*
		 * Everything this child touches is faulted in before it joins
		 * the cgroup (charges do not move with a task), so only the
		 * messages are charged there.
		 */
		fill_msg(buf, 0);
		CHILD_CHECK(sync_post(self->sv[1], 'r') == 0);
		CHILD_CHECK(sync_wait(self->sv[1]) == 'g');
		for (i = 0; i < CAPACITY; i++) {
			fill_msg(buf, i);
			ret = mbox_send(fd, buf, MSG_LEN, MBOX_MSG_DONTWAIT, 0);
			if (ret) {
				self->res->err = -ret;
				break;
			}
			self->res->sent = i + 1;
		}
		self->res->done = 1;
		_exit(0);
	}
	ASSERT_EQ('r', sync_wait(self->sv[0]));
	snprintf(pidbuf, sizeof(pidbuf), "%d", pid);
	ASSERT_EQ(0, write_str(cgfile(self, "cgroup.procs"), pidbuf));
	base = read_num(cgfile(self, "memory.current"), NULL);
	ASSERT_LE(0, base);
	ASSERT_EQ(0, sync_post(self->sv[0], 'g'));

	/* The child must end normally: an OOM kill would show as 1000 + 9. */
	ret = mbox_reap(pid);
	EXPECT_EQ(0, ret) {
		TH_LOG("flooding child ended with %d (1009 = SIGKILL, the OOM killer?) after %d messages",
		       ret, self->res->sent);
	}
	oom_kills = read_num(cgfile(self, "memory.events"), "oom_kill");
	max_events = read_num(cgfile(self, "memory.events"), "max");
	peak = read_num(cgfile(self, "memory.current"), NULL);
	EXPECT_EQ(1, self->res->done);
	EXPECT_EQ(ENOMEM, self->res->err) {
		TH_LOG("the send after %d messages failed with errno %d", self->res->sent,
		       self->res->err);
	}
	EXPECT_EQ(0, oom_kills);
	EXPECT_LT(0, max_events);
	/* It got somewhere near the limit before failing. */
	EXPECT_LE((long long)CG_MAX / 2, (long long)self->res->sent * MSG_LEN);
	EXPECT_GE((long long)CG_MAX, (long long)self->res->sent * MSG_LEN);

	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ((uint32_t)self->res->sent, st.queued);
	EXPECT_EQ((uint64_t)self->res->sent * MSG_LEN, st.queued_bytes);
	EXPECT_EQ((uint64_t)self->res->sent, st.sent);
	/* The queued messages are charged to the cgroup. */
	TH_LOG("memory.current: %lld before, %lld with %d x 64 KiB queued (%llu bytes); memory.events max %lld",
	       base, peak, self->res->sent, (unsigned long long)st.queued_bytes, max_events);
	EXPECT_LE(base + (long long)st.queued_bytes, peak);
	EXPECT_GE((long long)CG_MAX, peak);

	/* Every message is still there, intact and in order. */
	for (i = 0; i < self->res->sent; i++) {
		memset(buf, 0, MSG_LEN);
		ret = mbox_recv(fd, buf, MSG_LEN, MBOX_MSG_DONTWAIT, 0, &r);
		ASSERT_EQ(MSG_LEN, ret) {
			TH_LOG("message %d", i);
		}
		EXPECT_EQ(0, check_msg(buf, i)) {
			TH_LOG("message %d is corrupt", i);
		}
		EXPECT_EQ(pid, r.pid);
		EXPECT_EQ((uint64_t)i + 1, r.seq);
	}
	EXPECT_EQ(-EAGAIN, mbox_recv(fd, buf, MSG_LEN, MBOX_MSG_DONTWAIT, 0, NULL));

	/* Drained: the charge is gone again. */
	after = read_num(cgfile(self, "memory.current"), NULL);
	TH_LOG("memory.current after the drain: %lld", after);
	EXPECT_GT(base + (long long)st.queued_bytes / 4, after);
	free(buf);
	close(fd);
}

TEST_HARNESS_MAIN
