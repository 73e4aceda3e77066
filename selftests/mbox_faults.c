// SPDX-License-Identifier: GPL-2.0
/*
 * mbox fault injection, each part for a bounded time:
 *
 *  kill_senders_*     SIGKILL of blocked senders (rendezvous, bounded) while
 *                     a receiver takes messages: every survivor's message
 *                     arrives exactly once, a killed sender's at most once
 *                     (exactly once if its send had returned 0), the filler
 *                     queued before them first, and the counters add up.
 *  kill_receivers_*   SIGKILL of blocked receivers while messages arrive:
 *                     every survivor gets one message, no message twice,
 *                     at most one message per killed receiver unaccounted.
 *  signals            signal storms at threads in timed sends and receives,
 *                     without SA_RESTART (EINTR or ETIMEDOUT only, never
 *                     early) and with it (ETIMEDOUT only, never early);
 *                     nothing moves.
 *  races_*            shutdown, unlink and the last close racing with
 *                     blocked and active senders and receivers (threads,
 *                     one fd each): every result is one the docs allow,
 *                     every message sent is received exactly once, and
 *                     the mailbox is freed.
 *  fork               a mailbox fd over fork: parent and children both
 *                     use it, either exits first, it is freed after both.
 *  unload_busy        delete_module("mbox") while messages are queued and
 *                     tasks are blocked: EWOULDBLOCK/EBUSY (EPERM when
 *                     unprivileged) and nothing changes.
 *  calls              request/reply under fire: callers with short
 *                     deadlines and signal storms (half with SA_RESTART),
 *                     servers (each its own open of the mailbox) killed
 *                     and respawned, callers killed: no request is ever
 *                     received twice, every answer matches its request,
 *                     a call that says "not delivered" (seq 0) never was,
 *                     and one answered was received once.
 *
 * Duration: -t SECONDS or MBOX_FAULTS_SECONDS (default 6 s over all
 * parts). Prints "# faults: ..." with the faults injected; TAP via
 * kselftest.h.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include "mbox_helpers.h"
#include "../kselftest.h"

#define MSG 64

static char why[512];
static int failed;
static pthread_mutex_t why_lock = PTHREAD_MUTEX_INITIALIZER;

static void fail(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&why_lock);
	if (!failed) {
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
	}
	failed = 1;
	pthread_mutex_unlock(&why_lock);
}

#define CHECK(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)

static void result(const char *name)
{
	if (failed)
		ksft_test_result_fail("%s: %s\n", name, why);
	else
		ksft_test_result_pass("%s\n", name);
	failed = 0;
	why[0] = 0;
}

/* Fault counters for the summary line. */
static unsigned long n_kill_tx, n_kill_rx, n_signals, n_eintr, n_shutdown,
	n_unlink, n_close, n_fork, n_unload, n_rounds, n_msgs, n_calls,
	n_kill_srv, n_kill_caller;

static int dev;
static double budget;		/* seconds per part */
static long baseline;		/* nr_mailboxes before each part */

static void *map_shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int send_id(int fd, uint32_t id, uint32_t flags, uint64_t dl)
{
	uint32_t msg[4] = { id, ~id, id * 2654435761U, 0x6d626f78 };

	return mbox_send(fd, msg, sizeof(msg), flags, dl);
}

/* Receive one id: >= 0, or -errno. Checks the message is intact. */
static long recv_id(int fd, uint32_t flags, uint64_t dl, int32_t *pid)
{
	struct mboxio_recv r;
	uint32_t msg[MSG / 4];
	int ret;

	ret = mbox_recv(fd, msg, sizeof(msg), flags, dl, &r);
	if (ret < 0)
		return ret;
	if (ret != 16 || msg[1] != ~msg[0] ||
	    msg[2] != msg[0] * 2654435761U || msg[3] != 0x6d626f78) {
		fail("corrupt message (len %d, id %u)", ret, msg[0]);
		return -EIO;
	}
	if (pid)
		*pid = r.pid;
	return msg[0];
}

/* Wait until nr_mailboxes is back to @want (fput may be deferred). */
static void expect_count(long want, const char *what)
{
	uint64_t end = now_ns() + MS(3000);
	long n;

	do {
		n = mbox_count(dev);
		if (n == want)
			return;
		usleep(2000);
	} while (now_ns() < end);
	fail("%s: %ld mailboxes exist, expected %ld (leak?)", what, n, want);
}

static bool time_left(uint64_t end)
{
	return now_ns() < end && !failed;
}

/* ---------------------------------------------------------------- */

#define NKILL 6
#define FILLER 1000000

struct rx_thread {
	int fd;
	volatile int stop;
	int n;
	uint32_t ids[4096];
};

static void *receiver_thread(void *p)
{
	struct rx_thread *t = p;
	long id;

	for (;;) {
		id = recv_id(t->fd, MBOX_MSG_DEADLINE, now_ns() + MS(5), NULL);
		if (id >= 0) {
			if (t->n < 4096)
				t->ids[t->n++] = id;
			continue;
		}
		if (id != -ETIMEDOUT) {
			fail("receiver thread: %s", strerror(-id));
			break;
		}
		if (t->stop)
			break;
	}
	return NULL;
}

static void kill_senders(uint32_t cap)
{
	uint64_t end = now_ns() + (uint64_t)(budget * 1e9);
	uint64_t rng = now_ns();
	volatile int *res = map_shared(4096);
	struct rx_thread *rt = calloc(1, sizeof(*rt));
	int seen[NKILL], killed[NKILL];
	pid_t pids[NKILL];
	pthread_t thr;
	int fd, i, j;
	long id;

	if (!res || !rt) {
		fail("out of memory");
		return;
	}
	do {
		n_rounds++;
		fd = mbox_create(dev, NULL, MBOX_FD_RDWR, 0600, cap, MSG);
		if (fd < 0) {
			fail("create: %s", strerror(-fd));
			break;
		}
		for (j = 0; j < (int)cap; j++)
			CHECK(send_id(fd, FILLER + j, 0, 0) == 0, "filler send");
		for (i = 0; i < NKILL; i++) {
			res[i] = 1;
			seen[i] = 0;
			killed[i] = 0;
			pids[i] = mbox_fork();
			if (pids[i] == 0) {
				int r = send_id(fd, i, 0, 0);

				res[i] = r;
				_exit(r ? 2 : 0);
			}
			/* Queue them in this order. */
			CHECK(mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders),
					     i + 1) == 0, "sender %d never blocked", i);
		}
		/* A receiver takes messages while senders are being killed. */
		rt->fd = fd;
		rt->stop = 0;
		rt->n = 0;
		pthread_create(&thr, NULL, receiver_thread, rt);
		for (i = 0; i < NKILL; i++) {
			if (mbox_rand(&rng) % 2) {
				usleep(mbox_rand(&rng) % 300);
				kill(pids[i], SIGKILL);
				killed[i] = 1;
				n_kill_tx++;
			}
		}
		for (i = 0; i < NKILL; i++) {
			int st = mbox_reap(pids[i]);

			if (killed[i])
				CHECK(st == 0 || st == 1000 + SIGKILL,
				      "killed sender %d: status %d", i, st);
			else
				CHECK(st == 0, "sender %d: status %d (send %d)",
				      i, st, res[i]);
		}
		rt->stop = 1;
		pthread_join(thr, NULL);
		while ((id = recv_id(fd, MBOX_MSG_DONTWAIT, 0, NULL)) >= 0)
			if (rt->n < 4096)
				rt->ids[rt->n++] = id;
		CHECK(id == -EAGAIN, "drain: %s", strerror(-id));

		/* Filler first, in order; then each sender at most once. */
		for (j = 0; j < (int)cap; j++)
			CHECK(j < rt->n && rt->ids[j] == (uint32_t)(FILLER + j),
			      "filler %d not first in line", j);
		for (j = cap; j < rt->n; j++) {
			CHECK(rt->ids[j] < NKILL, "unknown id %u", rt->ids[j]);
			if (rt->ids[j] < NKILL)
				seen[rt->ids[j]]++;
		}
		for (i = 0; i < NKILL; i++) {
			CHECK(seen[i] <= 1, "sender %d's message received %d times",
			      i, seen[i]);
			if (!killed[i] || res[i] == 0)
				CHECK(seen[i] == 1,
				      "sender %d (killed %d, send %d): message received %d times",
				      i, killed[i], res[i], seen[i]);
		}
		{
			struct mboxio_stat st;

			CHECK(mbox_stat(fd, &st) == 0, "stat");
			CHECK(st.sent == (uint64_t)rt->n &&
			      st.received == (uint64_t)rt->n && !st.queued &&
			      !st.waiting_senders && !st.waiting_receivers,
			      "stat after kills: sent %llu received %llu queued %u senders %u receivers %u, %d received",
			      (unsigned long long)st.sent,
			      (unsigned long long)st.received, st.queued,
			      st.waiting_senders, st.waiting_receivers, rt->n);
		}
		n_msgs += rt->n;
		close(fd);
	} while (time_left(end));
	expect_count(baseline, "after killing senders");
	free(rt);
	munmap((void *)res, 4096);
}

static void kill_receivers(uint32_t cap)
{
	uint64_t end = now_ns() + (uint64_t)(budget * 1e9);
	uint64_t rng = now_ns() ^ 0x5555;
	volatile long *res = map_shared(4096);
	int killed[NKILL], nkilled, survivors, got[4096];
	uint32_t sent, i, k;
	pid_t pids[NKILL];
	long id;
	int fd, ret;

	if (!res) {
		fail("mmap");
		return;
	}
	do {
		n_rounds++;
		fd = mbox_create(dev, NULL, MBOX_FD_RDWR, 0600, cap, MSG);
		if (fd < 0) {
			fail("create: %s", strerror(-fd));
			break;
		}
		nkilled = 0;
		for (i = 0; i < NKILL; i++) {
			res[i] = -1000;
			killed[i] = mbox_rand(&rng) % 2;
			nkilled += killed[i];
			pids[i] = mbox_fork();
			if (pids[i] == 0) {
				res[i] = recv_id(fd, 0, 0, NULL);
				_exit(res[i] < 0 ? 2 : 0);
			}
		}
		CHECK(mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers),
				     NKILL) == 0, "receivers never blocked");
		/* Messages flow while receivers die. */
		sent = 0;
		for (i = 0; i < NKILL; i++) {
			if (killed[i]) {
				kill(pids[i], SIGKILL);
				n_kill_rx++;
			}
			if (mbox_rand(&rng) % 2 &&
			    send_id(fd, sent, MBOX_MSG_DONTWAIT, 0) == 0)
				sent++;
		}
		survivors = NKILL - nkilled;
		/* Enough for every survivor (timed: a rendezvous needs a taker). */
		while ((int)sent < survivors + nkilled && !failed) {
			ret = send_id(fd, sent, MBOX_MSG_DEADLINE, now_ns() + MS(20));
			if (ret == 0)
				sent++;
			else if (ret != -ETIMEDOUT)
				fail("send: %s", strerror(-ret));
			else {
				struct mboxio_stat st;

				/* Timed out: done once nobody waits to take one. */
				CHECK(mbox_stat(fd, &st) == 0, "stat");
				if (!st.waiting_receivers)
					break;
			}
		}
		memset(got, 0, sizeof(got));
		k = 0;
		for (i = 0; i < NKILL; i++) {
			int st = mbox_reap(pids[i]);

			if (killed[i] && st == 1000 + SIGKILL)
				continue;
			CHECK(st == 0, "receiver %u: status %d (result %ld)", i,
			      st, res[i]);
			if (st == 0 && res[i] >= 0 && res[i] < 4096) {
				got[res[i]]++;
				k++;
			}
		}
		while ((id = recv_id(fd, MBOX_MSG_DONTWAIT, 0, NULL)) >= 0) {
			if (id < 4096)
				got[id]++;
			k++;
		}
		CHECK(id == -EAGAIN, "drain: %s", strerror(-id));
		for (i = 0; i < 4096; i++)
			CHECK(got[i] <= 1 && (i < sent || !got[i]),
			      "message %u received %d times (%u sent)", i, got[i], sent);
		/* Only a killed receiver can have taken one unseen. */
		CHECK(k <= sent && sent - k <= (uint32_t)nkilled,
		      "%u sent, %u accounted for, %d receivers killed", sent, k,
		      nkilled);
		{
			struct mboxio_stat st;

			CHECK(mbox_stat(fd, &st) == 0, "stat");
			CHECK(st.sent == sent && st.received == sent && !st.queued &&
			      !st.waiting_receivers && !st.waiting_senders,
			      "stat: sent %llu received %llu queued %u receivers %u; %u sent",
			      (unsigned long long)st.sent,
			      (unsigned long long)st.received, st.queued,
			      st.waiting_receivers, sent);
		}
		n_msgs += sent;
		close(fd);
	} while (time_left(end));
	expect_count(baseline, "after killing receivers");
	munmap((void *)res, 4096);
}

/* ---------------------------------------------------------------- */

static volatile unsigned long sig_count;

static void on_sig(int sig)
{
	__atomic_fetch_add(&sig_count, 1, __ATOMIC_RELAXED);
}

struct sig_thread {
	int fd;
	int send;		/* 1: send on a full mailbox, 0: receive on an empty one */
	bool restart;
	volatile int *stop;
	unsigned long eintr, etimedout;
};

static void *timed_waiter(void *p)
{
	struct sig_thread *t = p;
	uint64_t dl, now;
	long ret;

	while (!*t->stop && !failed) {
		dl = now_ns() + MS(2) + (now_ns() % MS(8));
		if (t->send)
			ret = send_id(t->fd, 7, MBOX_MSG_DEADLINE, dl);
		else
			ret = recv_id(t->fd, MBOX_MSG_DEADLINE, dl, NULL);
		now = now_ns();
		if (ret == -EINTR && !t->restart) {
			t->eintr++;
		} else if (ret == -ETIMEDOUT) {
			t->etimedout++;
			CHECK(now >= dl, "ETIMEDOUT %llu ns before the deadline",
			      (unsigned long long)(dl - now));
		} else {
			fail("timed %s (SA_RESTART %d): %s", t->send ? "send" : "receive",
			     t->restart, ret >= 0 ? "succeeded" : strerror(-ret));
		}
	}
	return NULL;
}

static void signals(void)
{
	uint64_t end;
	struct sig_thread t[4];
	struct sigaction sa = { .sa_handler = on_sig };
	pthread_t thr[4];
	volatile int stop;
	int fds[3], pass, i;
	uint64_t rng = now_ns();

	for (pass = 0; pass < 2 && !failed; pass++) {
		sa.sa_flags = pass ? SA_RESTART : 0;
		sigaction(SIGUSR1, &sa, NULL);
		/* Empty bounded, full bounded, rendezvous without receivers. */
		fds[0] = mbox_create(dev, NULL, MBOX_FD_RDWR, 0600, 2, MSG);
		fds[1] = mbox_create(dev, NULL, MBOX_FD_RDWR, 0600, 2, MSG);
		fds[2] = mbox_create(dev, NULL, MBOX_FD_RDWR, 0600, 0, MSG);
		if (fds[0] < 0 || fds[1] < 0 || fds[2] < 0) {
			fail("create");
			return;
		}
		CHECK(send_id(fds[1], 1, 0, 0) == 0 && send_id(fds[1], 2, 0, 0) == 0,
		      "fill");
		stop = 0;
		for (i = 0; i < 4; i++) {
			memset(&t[i], 0, sizeof(t[i]));
			t[i].fd = fds[i == 3 ? 0 : i];
			t[i].send = i == 1 || i == 2;
			t[i].restart = pass;
			t[i].stop = &stop;
			pthread_create(&thr[i], NULL, timed_waiter, &t[i]);
		}
		end = now_ns() + (uint64_t)(budget / 2 * 1e9);
		while (time_left(end)) {
			pthread_kill(thr[mbox_rand(&rng) % 4], SIGUSR1);
			n_signals++;
			usleep(mbox_rand(&rng) % 500);
		}
		stop = 1;
		for (i = 0; i < 4; i++) {
			pthread_join(thr[i], NULL);
			n_eintr += t[i].eintr;
		}
		/* Nothing moved. */
		{
			struct mboxio_stat st[3];

			for (i = 0; i < 3; i++)
				CHECK(mbox_stat(fds[i], &st[i]) == 0, "stat");
			CHECK(st[0].sent == 0 && st[0].received == 0 &&
			      st[1].sent == 2 && st[1].queued == 2 &&
			      st[1].received == 0 && st[2].sent == 0 &&
			      st[2].received == 0 && !st[0].waiting_receivers &&
			      !st[1].waiting_senders && !st[2].waiting_senders,
			      "a message moved under signals");
		}
		if (pass == 0)
			CHECK(t[0].eintr + t[1].eintr + t[2].eintr + t[3].eintr > 0,
			      "no EINTR in %lu signals", n_signals);
		for (i = 0; i < 3; i++)
			close(fds[i]);
	}
	signal(SIGUSR1, SIG_DFL);
	expect_count(baseline, "after signals");
}

/* ---------------------------------------------------------------- */

#define RACE_TX 2
#define RACE_RX 3	/* the last one's fd is closed under it */
#define RACE_MAX 65536

struct race_thread {
	int fd;
	int idx;
	uint32_t cap;
	uint64_t rng;
	uint32_t n;
	uint32_t ids[RACE_MAX];
};

static void *race_sender(void *p)
{
	struct race_thread *t = p;
	uint32_t flags;
	uint64_t dl;
	int ret;

	for (;;) {
		uint32_t id = (uint32_t)t->idx << 24 | t->n;

		switch (mbox_rand(&t->rng) % 3) {
		case 0:
			flags = 0;
			dl = 0;
			break;
		case 1:
			flags = MBOX_MSG_DONTWAIT;
			dl = 0;
			break;
		default:
			flags = MBOX_MSG_DEADLINE;
			dl = now_ns() + mbox_rand(&t->rng) % MS(3);
		}
		ret = send_id(t->fd, id, flags, dl);
		if (ret == 0) {
			if (t->n < RACE_MAX)
				t->ids[t->n++] = id;
			if (t->n >= RACE_MAX)
				break;
			continue;
		}
		if (ret == -EPIPE)
			break;
		if (ret == -EAGAIN && flags == MBOX_MSG_DONTWAIT)
			continue;
		if (ret == -ETIMEDOUT && flags == MBOX_MSG_DEADLINE)
			continue;
		fail("racing sender: %s (flags %#x)", strerror(-ret), flags);
		break;
	}
	return NULL;
}

static void *race_receiver(void *p)
{
	struct race_thread *t = p;
	bool victim = t->idx == RACE_TX + RACE_RX - 1;
	uint32_t flags;
	uint64_t dl;
	long ret;

	for (;;) {
		if (victim) {
			/* Its fd is closed under it: timed waits only. */
			flags = MBOX_MSG_DEADLINE;
			dl = now_ns() + MS(2);
		} else if (mbox_rand(&t->rng) % 2) {
			flags = 0;
			dl = 0;
		} else {
			flags = MBOX_MSG_DEADLINE;
			dl = now_ns() + mbox_rand(&t->rng) % MS(3);
		}
		ret = recv_id(t->fd, flags, dl, NULL);
		if (ret >= 0) {
			if (t->n < RACE_MAX)
				t->ids[t->n++] = ret;
			continue;
		}
		if (ret == -EPIPE)
			break;
		if (ret == -ETIMEDOUT && flags == MBOX_MSG_DEADLINE)
			continue;
		if (ret == -EBADF && victim)
			break;
		fail("racing receiver%s: %s (flags %#x)", victim ? " (victim)" : "",
		     strerror(-ret), flags);
		break;
	}
	return NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void races(uint32_t cap)
{
	uint64_t end = now_ns() + (uint64_t)(budget * 1e9);
	struct race_thread *t = calloc(RACE_TX + RACE_RX, sizeof(*t));
	pthread_t thr[RACE_TX + RACE_RX];
	uint32_t *sent = malloc(RACE_TX * RACE_MAX * 4);
	uint32_t *recvd = malloc(RACE_RX * RACE_MAX * 4);
	uint64_t rng = now_ns();
	char name[64];
	int fd, i, ns, nr, ret, order;

	if (!t || !sent || !recvd) {
		fail("out of memory");
		return;
	}
	do {
		n_rounds++;
		snprintf(name, sizeof(name), "faults.race.%d", getpid());
		fd = mbox_create(dev, name, MBOX_FD_RDWR, 0600, cap, MSG);
		if (fd < 0) {
			fail("create: %s", strerror(-fd));
			break;
		}
		for (i = 0; i < RACE_TX + RACE_RX; i++) {
			memset(&t[i], 0, offsetof(struct race_thread, ids));
			t[i].idx = i;
			t[i].cap = cap;
			t[i].rng = mbox_rand(&rng);
			/* Senders open by name, receivers dup or open. */
			if (i < RACE_TX)
				t[i].fd = mbox_open(dev, name, MBOX_FD_SEND);
			else if (i % 2)
				t[i].fd = dup(fd);
			else
				t[i].fd = mbox_open(dev, name, MBOX_FD_RECV);
			CHECK(t[i].fd >= 0, "open/dup: %d", t[i].fd);
		}
		if (failed)
			break;
		for (i = 0; i < RACE_TX + RACE_RX; i++)
			pthread_create(&thr[i], NULL,
				       i < RACE_TX ? race_sender : race_receiver, &t[i]);
		/* Unlink, close our fd, close the victim's, shut down: any order. */
		order = mbox_rand(&rng) % 24;
		{
			int steps[4] = { 0, 1, 2, 3 }, s, tmp, j;

			for (j = 3; j > 0; j--) {
				s = order % (j + 1);
				order /= j + 1;
				tmp = steps[j];
				steps[j] = steps[s];
				steps[s] = tmp;
			}
			for (j = 0; j < 4; j++) {
				usleep(mbox_rand(&rng) % 3000);
				switch (steps[j]) {
				case 0:
					ret = mbox_unlink(dev, name);
					CHECK(ret == 0, "unlink: %s", strerror(-ret));
					n_unlink++;
					break;
				case 1:
					/* Needs an fd with send access: take a sender's dup. */
					ret = dup(t[0].fd);
					CHECK(ret >= 0, "dup");
					CHECK(mbox_shutdown(ret) == 0, "shutdown");
					close(ret);
					n_shutdown++;
					break;
				case 2:
					close(fd);
					n_close++;
					break;
				default:
					close(t[RACE_TX + RACE_RX - 1].fd);
					n_close++;
					break;
				}
			}
		}
		ns = nr = 0;
		for (i = 0; i < RACE_TX + RACE_RX; i++) {
			pthread_join(thr[i], NULL);
			if (i < RACE_TX) {
				memcpy(sent + ns, t[i].ids, t[i].n * 4);
				ns += t[i].n;
			} else {
				memcpy(recvd + nr, t[i].ids, t[i].n * 4);
				nr += t[i].n;
			}
			/* Last closes, racing with threads still finishing. */
			if (i != RACE_TX + RACE_RX - 1)
				close(t[i].fd);
		}
		qsort(sent, ns, 4, cmp_u32);
		qsort(recvd, nr, 4, cmp_u32);
		CHECK(ns == nr && !memcmp(sent, recvd, ns * 4),
		      "capacity %u: %d messages sent, %d received (or different ones)",
		      cap, ns, nr);
		for (i = 1; i < nr; i++)
			CHECK(recvd[i] != recvd[i - 1], "message %#x received twice",
			      recvd[i]);
		n_msgs += nr;
		/* No name left behind. */
		ret = mbox_open(dev, name, MBOX_FD_RECV);
		CHECK(ret == -ENOENT, "name still there after unlink: %d", ret);
		if (ret >= 0)
			close(ret);
	} while (time_left(end));
	expect_count(baseline, "after races");
	free(t);
	free(sent);
	free(recvd);
}

/* ---------------------------------------------------------------- */

static void forks(void)
{
	uint64_t end = now_ns() + (uint64_t)(budget * 1e9);
	int32_t pid;
	pid_t a, b;
	long id;
	int fd, i, st;

	do {
		n_rounds++;
		fd = mbox_create(dev, NULL, MBOX_FD_RDWR, 0600, 64, MSG);
		if (fd < 0) {
			fail("create: %s", strerror(-fd));
			return;
		}
		/* A child sends and exits without closing; the parent receives. */
		a = mbox_fork();
		n_fork++;
		if (a == 0) {
			for (i = 0; i < 32; i++)
				CHILD_CHECK(send_id(fd, i, 0, 0) == 0);
			_exit(0);
		}
		CHECK(mbox_reap(a) == 0, "sending child failed");
		for (i = 0; i < 32; i++) {
			id = recv_id(fd, MBOX_MSG_DONTWAIT, 0, &pid);
			CHECK(id == i && pid == a, "got %ld from %d, expected %d from %d",
			      id, pid, i, a);
		}
		/* The parent sends, a child blocked in receive takes them. */
		b = mbox_fork();
		n_fork++;
		if (b == 0) {
			for (i = 0; i < 8; i++)
				CHILD_CHECK(recv_id(fd, 0, 0, NULL) == 100 + i);
			CHILD_CHECK(send_id(fd, 999, 0, 0) == 0);
			_exit(0);
		}
		for (i = 0; i < 8; i++)
			CHECK(send_id(fd, 100 + i, 0, 0) == 0, "send to child");
		CHECK(mbox_reap(b) == 0, "receiving child failed");
		id = recv_id(fd, MBOX_MSG_DONTWAIT, 0, &pid);
		CHECK(id == 999 && pid == b, "reply %ld from %d", id, pid);
		/*
		 * Two children hold it, the parent lets go: one sends and
		 * exits, the other receives; it is freed when both are gone.
		 */
		a = mbox_fork();
		n_fork++;
		if (a == 0) {
			for (i = 0; i < 10; i++)
				CHILD_CHECK(send_id(fd, 200 + i, 0, 0) == 0);
			_exit(0);
		}
		b = mbox_fork();
		n_fork++;
		if (b == 0) {
			for (i = 0; i < 10; i++)
				CHILD_CHECK(recv_id(fd, 0, 0, NULL) == 200 + i);
			CHILD_CHECK(recv_id(fd, MBOX_MSG_DONTWAIT, 0, NULL) == -EAGAIN);
			_exit(0);
		}
		close(fd);
		st = mbox_reap(a);
		CHECK(st == 0, "child a: %d", st);
		st = mbox_reap(b);
		CHECK(st == 0, "child b: %d", st);
		expect_count(baseline, "after fork children exited");
	} while (time_left(end));
}

/* ---------------------------------------------------------------- */

static int try_unload(void)
{
	/* Never O_TRUNC (forced unload): O_NONBLOCK only. */
	return syscall(SYS_delete_module, "mbox", O_NONBLOCK) ? -errno : 0;
}

static void unload_busy(void)
{
	uint64_t end = now_ns() + (uint64_t)(budget * 1e9);
	struct rx_thread *rt = calloc(1, sizeof(*rt));
	pthread_t thr;
	pid_t blocked, unpriv;
	int q, r, ret, i;

	if (!rt) {
		fail("calloc");
		return;
	}
	/* Queued messages, a blocked sender, a blocked receiver. */
	q = mbox_create(dev, NULL, MBOX_FD_RDWR, 0600, 4, MSG);
	r = mbox_create(dev, NULL, MBOX_FD_RDWR, 0600, 0, MSG);
	if (q < 0 || r < 0) {
		fail("create");
		return;
	}
	for (i = 0; i < 4; i++)
		CHECK(send_id(q, i, 0, 0) == 0, "fill");
	blocked = mbox_fork();
	if (blocked == 0) {
		CHILD_CHECK(send_id(q, 4, 0, 0) == 0);
		_exit(0);
	}
	CHECK(mbox_wait_stat(q, MBOX_STAT_FIELD(waiting_senders), 1) == 0,
	      "sender never blocked");
	rt->fd = r;
	pthread_create(&thr, NULL, receiver_thread, rt);
	unpriv = mbox_fork();
	if (unpriv == 0) {
		CHILD_CHECK(mbox_become(1000, 1000, 0, NULL) == 0);
		CHILD_CHECK(try_unload() == -EPERM);
		_exit(0);
	}
	CHECK(mbox_reap(unpriv) == 0, "unprivileged delete_module not EPERM");
	n_unload++;
	do {
		ret = try_unload();
		n_unload++;
		CHECK(ret == -EWOULDBLOCK || ret == -EBUSY,
		      "delete_module while busy: %s", ret ? strerror(-ret) : "unloaded!");
		if (ret == 0)
			ksft_exit_fail_msg("mbox was unloaded while busy\n");
		/* Traffic goes on; a rendezvous send may time out. */
		ret = send_id(r, n_unload, MBOX_MSG_DEADLINE, now_ns() + MS(50));
		CHECK(ret == 0 || ret == -ETIMEDOUT, "send: %s", strerror(-ret));
		usleep(2000);
	} while (time_left(end));
	/* Everything still works. */
	rt->stop = 1;
	pthread_join(thr, NULL);
	for (i = 0; i < 5; i++) {
		long id = recv_id(q, 0, 0, NULL);

		CHECK(id == i, "after unload attempts: got %ld, expected %d", id, i);
	}
	CHECK(mbox_reap(blocked) == 0, "blocked sender failed");
	close(q);
	close(r);
	free(rt);
	expect_count(baseline, "after unload attempts");
}

/* ------------------------------------------------------------------ */

#define CALLERS		4
#define SERVERS		2
#define CALLS_EACH	512
#define NCALLS		(CALLERS * CALLS_EACH)

/* What each call id became, in shared memory. */
enum { C_PENDING, C_OK, C_UNDELIVERED, C_TAKEN_FAILED };

struct call_log {
	int received[NCALLS];	/* times a server received it */
	int outcome[NCALLS];	/* C_* as its caller saw it */
	int bad_errno;		/* an undocumented result, if any */
	int mismatch;		/* a reply that is not its request's */
};

static void on_call_sig(int sig)
{
	(void)sig;
}

/*
 * Answer every request with its own id until killed or shut down. Signals
 * (SA_RESTART) restart its reply-and-receive, which must then only receive.
 */
static void call_server(const char *name, struct call_log *log)
{
	struct sigaction sa = { .sa_handler = on_call_sig, .sa_flags = SA_RESTART };
	struct mboxio_reply_recv rr = { 0 };
	sigset_t usr1;
	uint32_t id;
	int fd = mbox_open(dev, name, MBOX_FD_RECV), n;

	if (fd < 0)
		_exit(3);
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	rr.recv.buf = (uintptr_t)&id;
	rr.recv.size = sizeof(id);
	for (;;) {
		n = mbox_ioctl(fd, MBOXIO_REPLY_RECV, &rr);
		if (n == -EPIPE)
			_exit(0);
		if (n == -EINTR || n == -EAGAIN)
			continue;
		if (n == -ESRCH) {
			/* Its caller gave up or was killed: nothing received. */
			memset(&rr.reply, 0, sizeof(rr.reply));
			continue;
		}
		if (n != sizeof(id) || !rr.recv.reply_id || id >= NCALLS)
			_exit(4);
		__atomic_add_fetch(&log->received[id], 1, __ATOMIC_SEQ_CST);
		rr.reply.reply_id = rr.recv.reply_id;
		rr.reply.buf = (uintptr_t)&id;
		rr.reply.len = sizeof(id);
	}
}

/* Make this caller's calls; half the callers restart after signals. */
static void call_caller(int fd, unsigned int c, struct call_log *log)
{
	struct sigaction sa = { .sa_handler = on_call_sig };
	uint64_t rng = now_ns() ^ (c * 0x9e3779b97f4a7c15ULL);
	uint32_t id, reply;
	unsigned int k;

	sigset_t usr1;

	sa.sa_flags = c % 2 ? SA_RESTART : 0;
	sigaction(SIGUSR1, &sa, NULL);
	/* Blocked since before the fork (calls()): only now may it come. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	for (k = 0; k < CALLS_EACH; k++) {
		struct mboxio_call call = { 0 };
		int ret;

		id = c * CALLS_EACH + k;
		call.buf = (uintptr_t)&id;
		call.len = sizeof(id);
		call.reply_buf = (uintptr_t)&reply;
		call.reply_size = sizeof(reply);
		call.flags = MBOX_MSG_DEADLINE;
		call.deadline_ns = now_ns() + MS(1 + mbox_rand(&rng) % 20);
		ret = mbox_ioctl(fd, MBOXIO_CALL, &call);
		if (ret == -EINTR && call.token) {
			struct mboxio_call cancel = {
				.flags = MBOX_CALL_CANCEL, .token = call.token,
			};

			if (mbox_ioctl(fd, MBOXIO_CALL, &cancel))
				log->bad_errno = 1000;
			call.seq = cancel.seq;
		}
		if (ret == sizeof(reply)) {
			if (reply != id)
				log->mismatch = 1;
			log->outcome[id] = C_OK;
		} else if (ret == -ETIMEDOUT || ret == -EINTR ||
			   ret == -ECONNRESET || ret == -EPIPE) {
			log->outcome[id] = call.seq ? C_TAKEN_FAILED :
					   C_UNDELIVERED;
		} else {
			log->bad_errno = ret;
		}
	}
}

static void calls(void)
{
	uint64_t end = now_ns() + (uint64_t)(budget * 1e9);
	uint64_t rng = now_ns() ^ 0xca11;
	struct call_log *log = map_shared(sizeof(*log));
	pid_t srv[SERVERS], caller[CALLERS];
	sigset_t usr1, old;
	const char *name;
	unsigned int i, j;
	int fd, st;

	if (!log) {
		fail("mmap");
		return;
	}
	/* A caller must have its handler before the first signal. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	do {
		n_rounds++;
		memset(log, 0, sizeof(*log));
		name = mbox_new_name("faultcall");
		fd = mbox_create(dev, name, MBOX_FD_RDWR, 0600,
				 mbox_rand(&rng) % 2 ? 4 : 0, sizeof(uint32_t));
		if (fd < 0) {
			fail("create: %s", strerror(-fd));
			break;
		}
		for (i = 0; i < SERVERS; i++) {
			srv[i] = mbox_fork();
			if (srv[i] == 0)
				call_server(name, log);
		}
		for (i = 0; i < CALLERS; i++) {
			caller[i] = mbox_fork();
			if (caller[i] == 0) {
				call_caller(fd, i, log);
				_exit(0);
			}
		}
		/* Chaos while they work: signals, and now and then a kill. */
		for (j = 0; j < 200 && !failed; j++) {
			usleep(500 + mbox_rand(&rng) % 2000);
			i = mbox_rand(&rng) % CALLERS;
			if (caller[i] > 0 && kill(caller[i], SIGUSR1) == 0)
				n_signals++;
			i = mbox_rand(&rng) % SERVERS;
			if (mbox_rand(&rng) % 2 && kill(srv[i], SIGUSR1) == 0)
				n_signals++;
			if (mbox_rand(&rng) % 16 == 0) {
				i = mbox_rand(&rng) % SERVERS;
				kill(srv[i], SIGKILL);
				mbox_reap(srv[i]);
				n_kill_srv++;
				srv[i] = mbox_fork();
				if (srv[i] == 0)
					call_server(name, log);
			}
			if (mbox_rand(&rng) % 64 == 0) {
				i = mbox_rand(&rng) % CALLERS;
				if (caller[i] > 0) {
					kill(caller[i], SIGKILL);
					mbox_reap(caller[i]);
					caller[i] = -1;
					n_kill_caller++;
				}
			}
		}
		for (i = 0; i < CALLERS; i++) {
			if (caller[i] <= 0)
				continue;
			st = mbox_reap(caller[i]);
			CHECK(st == 0, "caller %u: status %d", i, st);
		}
		/* No caller is left: the servers drain and stop. */
		CHECK(mbox_shutdown(fd) == 0, "shutdown");
		for (i = 0; i < SERVERS; i++) {
			st = mbox_reap(srv[i]);
			CHECK(st == 0, "server %u: status %d", i, st);
		}
		CHECK(!log->bad_errno, "a call returned %d", log->bad_errno);
		CHECK(!log->mismatch, "a reply was not its request's");
		for (i = 0; i < NCALLS && !failed; i++) {
			CHECK(log->received[i] <= 1,
			      "request %u received %d times", i, log->received[i]);
			CHECK(log->outcome[i] != C_UNDELIVERED || !log->received[i],
			      "request %u: the call said not delivered, a server received it",
			      i);
			CHECK(log->outcome[i] != C_OK || log->received[i] == 1,
			      "request %u answered but received %d times", i,
			      log->received[i]);
			n_calls += log->outcome[i] != C_PENDING;
		}
		close(fd);
		mbox_unlink(dev, name);
	} while (time_left(end) && !failed);
	munmap(log, sizeof(*log));
	sigprocmask(SIG_SETMASK, &old, NULL);
	expect_count(baseline, "after calls");
}

int main(int argc, char **argv)
{
	double secs = mbox_run_seconds(argc, argv, "MBOX_FAULTS_SECONDS", 6);

	ksft_print_header();
	dev = mbox_dev_open();
	if (dev < 0)
		ksft_exit_skip(MBOX_DEV " not available (module not loaded?)\n");
	ksft_set_plan(12);
	budget = secs / 12;
	baseline = mbox_count(dev);
	ksft_print_msg("faults: %.1f s, %.2f s per part; %ld mailboxes exist\n",
		       secs, budget, baseline);

	kill_senders(0);
	result("kill_senders_rendezvous");
	kill_senders(3);
	result("kill_senders_bounded");
	kill_receivers(0);
	result("kill_receivers_rendezvous");
	kill_receivers(3);
	result("kill_receivers_bounded");
	signals();
	result("signals");
	races(0);
	result("races_rendezvous");
	races(1);
	result("races_bounded1");
	races(16);
	result("races_bounded16");
	forks();
	result("fork");
	unload_busy();
	result("unload_busy");
	calls();
	result("calls");
	expect_count(baseline, "at the end");
	result("no_mailbox_left");
	mbox_cleanup(dev);
	close(dev);

	ksft_print_msg("faults: %lu injected: SIGKILL %lu senders, %lu receivers, %lu servers, %lu callers; %lu signals (%lu EINTR); %lu shutdowns, %lu unlinks, %lu closes racing; %lu forks; %lu unload attempts; %lu rounds, %lu messages and %lu calls checked\n",
		       n_kill_tx + n_kill_rx + n_kill_srv + n_kill_caller +
		       n_signals + n_shutdown + n_unlink + n_close + n_fork +
		       n_unload,
		       n_kill_tx, n_kill_rx, n_kill_srv, n_kill_caller,
		       n_signals, n_eintr, n_shutdown, n_unlink, n_close,
		       n_fork, n_unload, n_rounds, n_msgs, n_calls);
	ksft_finished();
}
