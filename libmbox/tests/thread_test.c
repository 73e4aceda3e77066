// SPDX-License-Identifier: GPL-2.0
/*
 * libmbox thread-safety smoke tests: several threads sending and receiving
 * through one mailbox (each message received exactly once, each sender's
 * messages in order), and threads creating, opening and unlinking mailboxes
 * at the same time (the library has no shared state, and leaks no fd).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define SENDERS		4
#define RECEIVERS	4

struct msg {
	uint32_t sender;
	uint32_t index;
};

struct got {
	uint64_t seq;
	struct msg msg;
	pid_t pid;
};

struct shared {
	int mb;
	unsigned int per_sender;
	/* receivers append here under the lock */
	pthread_mutex_t lock;
	struct got *got;
	size_t nr_got;
	size_t max_got;
	int errors;
};

struct worker {
	struct shared *sh;
	uint32_t id;
};

static void *sender(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	struct msg m = { .sender = w->id };

	for (m.index = 0; m.index < sh->per_sender; m.index++) {
		if (mbox_send(sh->mb, &m, sizeof(m))) {
			pthread_mutex_lock(&sh->lock);
			sh->errors++;
			pthread_mutex_unlock(&sh->lock);
			break;
		}
	}
	return NULL;
}

static void *receiver(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	struct mbox_msginfo info;
	struct msg m;
	ssize_t n;

	for (;;) {
		n = mbox_recv(sh->mb, &m, sizeof(m), &info);
		pthread_mutex_lock(&sh->lock);
		if (n < 0) {
			if (errno != EPIPE)	/* EPIPE: shut down, drained */
				sh->errors++;
			pthread_mutex_unlock(&sh->lock);
			break;
		}
		if (n != sizeof(m) || info.len != sizeof(m) ||
		    sh->nr_got == sh->max_got) {
			sh->errors++;
		} else {
			sh->got[sh->nr_got].seq = info.seq;
			sh->got[sh->nr_got].msg = m;
			sh->got[sh->nr_got].pid = info.pid;
			sh->nr_got++;
		}
		pthread_mutex_unlock(&sh->lock);
	}
	return NULL;
}

static int by_seq(const void *a, const void *b)
{
	const struct got *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* On failure: what was received around position @at, by seq. */
static void dump_got(struct __test_metadata *_metadata, const struct got *got,
		     size_t total, size_t at)
{
	size_t i = at > 4 ? at - 4 : 0;

	for (; i < total && i < at + 5; i++)
		TH_LOG("#%zu: seq %llu sender %u index %u pid %d", i,
		       (unsigned long long)got[i].seq, got[i].msg.sender,
		       got[i].msg.index, (int)got[i].pid);
}

FIXTURE(many_to_many) {
	struct shared sh;
};

FIXTURE_VARIANT(many_to_many) {
	unsigned int capacity;
	unsigned int per_sender;
};

FIXTURE_VARIANT_ADD(many_to_many, rendezvous) {
	.capacity = 0, .per_sender = 500,
};

FIXTURE_VARIANT_ADD(many_to_many, capacity_1) {
	.capacity = 1, .per_sender = 1000,
};

FIXTURE_VARIANT_ADD(many_to_many, capacity_8) {
	.capacity = 8, .per_sender = 2000,
};

FIXTURE_SETUP(many_to_many)
{
	self->sh.mb = -1;
	REQUIRE_MBOX();
}

FIXTURE_TEARDOWN(many_to_many)
{
	if (self->sh.mb >= 0)
		mbox_close(self->sh.mb);
	free(self->sh.got);
}

TEST_F_TIMEOUT(many_to_many, exactly_once_in_order, 120)
{
	struct mbox_attr attr = {
		.capacity = variant->capacity,
		.msg_size = sizeof(struct msg), .mode = 0600,
	};
	struct worker senders[SENDERS], receivers[RECEIVERS];
	pthread_t st[SENDERS], rt[RECEIVERS];
	struct shared *sh = &self->sh;
	uint32_t next[SENDERS] = { 0 };
	struct mbox_stat mst;
	size_t total, i;

	REQUIRE_MBOX();

	sh->per_sender = variant->per_sender;
	total = (size_t)SENDERS * sh->per_sender;
	sh->max_got = total;
	sh->got = calloc(total, sizeof(*sh->got));
	ASSERT_NE(NULL, sh->got);
	pthread_mutex_init(&sh->lock, NULL);
	sh->mb = mbox_create(NULL, &attr, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, sh->mb);

	for (i = 0; i < RECEIVERS; i++) {
		receivers[i] = (struct worker){ .sh = sh, .id = i };
		ASSERT_EQ(0, pthread_create(&rt[i], NULL, receiver, &receivers[i]));
	}
	for (i = 0; i < SENDERS; i++) {
		senders[i] = (struct worker){ .sh = sh, .id = i };
		ASSERT_EQ(0, pthread_create(&st[i], NULL, sender, &senders[i]));
	}
	for (i = 0; i < SENDERS; i++)
		pthread_join(st[i], NULL);
	/* Every send returned: let the receivers drain, then EPIPE. */
	ASSERT_EQ(0, mbox_shutdown(sh->mb));
	for (i = 0; i < RECEIVERS; i++)
		pthread_join(rt[i], NULL);

	EXPECT_EQ(0, sh->errors);
	ASSERT_EQ(total, sh->nr_got);
	ASSERT_EQ(0, mbox_stat(sh->mb, &mst));
	EXPECT_EQ(total, mst.sent);
	EXPECT_EQ(total, mst.received);
	EXPECT_EQ(0, mst.queued);

	/* Sorted by delivery number, seq is 1..total without gaps or
	 * repeats: each message was received exactly once... */
	qsort(sh->got, total, sizeof(*sh->got), by_seq);
	for (i = 0; i < total; i++) {
		struct got *g = &sh->got[i];

		if (g->seq != i + 1 || g->msg.sender >= SENDERS ||
		    g->pid != getpid()) {
			dump_got(_metadata, sh->got, total, i);
			ASSERT_EQ(i + 1, g->seq);
			ASSERT_GT(SENDERS, g->msg.sender);
			ASSERT_EQ(getpid(), g->pid);
		}
	}
	/* ...and each sender's messages left in the order it sent them. */
	for (i = 0; i < total; i++) {
		struct got *g = &sh->got[i];

		if (next[g->msg.sender] != g->msg.index) {
			dump_got(_metadata, sh->got, total, i);
			ASSERT_EQ(next[g->msg.sender], g->msg.index)
				TH_LOG("seq %llu: sender %u index %u",
				       (unsigned long long)g->seq,
				       g->msg.sender, g->msg.index);
		}
		next[g->msg.sender]++;
	}
	for (i = 0; i < SENDERS; i++)
		EXPECT_EQ(sh->per_sender, next[i]);
}

#define NAME_THREADS	4
#define NAME_ROUNDS	200

struct name_worker {
	unsigned int id;
	int errors;
	int last_errno;
};

static void *name_churn(void *arg)
{
	struct name_worker *w = arg;
	struct mbox_info info;
	char name[64], buf[8];
	unsigned int r;
	int mb, snd;

	for (r = 0; r < NAME_ROUNDS; r++) {
		snprintf(name, sizeof(name), "libmbox-test.%d.t%u.%u",
			 (int)getpid(), w->id, r);
		mb = mbox_create(name, NULL, O_RDONLY | O_CLOEXEC);
		if (mb < 0)
			goto fail;
		snd = mbox_open(name, O_WRONLY | O_CLOEXEC);
		if (snd < 0) {
			mbox_close(mb);
			goto fail;
		}
		if (mbox_trysend(snd, "x", 1) ||
		    mbox_tryrecv(mb, buf, sizeof(buf), NULL) != 1 ||
		    mbox_unlink(name) || mbox_get_info(&info) ||
		    mbox_close(snd) || mbox_close(mb))
			goto fail;
		continue;
fail:
		w->errors++;
		w->last_errno = errno;
	}
	return NULL;
}

static int count_fds(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

TEST(concurrent_create_open_unlink)
{
	struct name_worker w[NAME_THREADS];
	pthread_t t[NAME_THREADS];
	int fds;
	unsigned int i;

	REQUIRE_MBOX();

	fds = count_fds();
	ASSERT_LE(0, fds);
	for (i = 0; i < NAME_THREADS; i++) {
		w[i] = (struct name_worker){ .id = i };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, name_churn, &w[i]));
	}
	for (i = 0; i < NAME_THREADS; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, w[i].errors)
			TH_LOG("thread %u: last errno %d", i, w[i].last_errno);
	}
	/* No /dev/mbox or mailbox fd left behind. */
	EXPECT_EQ(fds, count_fds());
}

TEST_HARNESS_MAIN
