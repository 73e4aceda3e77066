// SPDX-License-Identifier: GPL-2.0
/*
 * mbox stress: many producers and consumers, processes and threads, on
 * rendezvous and bounded mailboxes, for a bounded time.
 *
 * Each scenario is one named mailbox. Producer processes open it by name
 * for sending, consumer processes for receiving (one consumer uses the
 * creator's fd inherited over fork instead), and every process runs
 * several threads. Each thread picks at random for every call: a blocking,
 * timed (deadline a little ahead, sometimes already past) or non-blocking
 * MBOXIO_SEND/MBOXIO_RECV, a batch (MBOXIO_SENDV/MBOXIO_RECVV of 1..8 with
 * any of the waiting modes), write(2)/read(2), or (receivers) a receive
 * with a too small buffer first (EMSGSIZE, the message stays).
 *
 * Every message carries its sender's id, the sender's own message number
 * and a checksum over header and payload; sizes are random from the
 * 16-byte header to msg_size. Producers stop at the deadline, the main
 * process shuts the mailbox down, consumers drain until EPIPE (read(2): 0).
 * Then, for each sender, exactly the numbers it sent successfully must
 * have been received, each exactly once, with intact payload, the right
 * sender pid and uid, in the sender's order (by the kernel's delivery
 * number seq, which must run 1..total without a gap or a repeat), and
 * nothing it failed to send may have arrived. MBOXIO_STAT must agree.
 *
 * Duration: -t SECONDS or MBOX_STRESS_SECONDS (default 6 s over all
 * scenarios). Prints "# stress: ..." count lines; TAP via kselftest.h.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include "mbox_helpers.h"
#include "../kselftest.h"

#define NPROC_TX	2	/* producer processes */
#define NTHR_TX		2	/* threads per producer process */
#define NPROC_RX	2	/* consumer processes */
#define NTHR_RX		2	/* threads per consumer process */
#define NSENDERS	(NPROC_TX * NTHR_TX)
#define NRECEIVERS	(NPROC_RX * NTHR_RX)
#define PER_SENDER_MAX	(1U << 21)	/* numbers a sender may use */
#define BATCH_MAX	8
#define KSEQ_READ	UINT64_MAX	/* received by read(2): no seq known */

enum { TX_BLOCK, TX_TIMED, TX_DONTWAIT, TX_BATCH, TX_WRITE, TX_NR };
enum { RX_BLOCK, RX_TIMED, RX_DONTWAIT, RX_BATCH, RX_READ, RX_SMALL, RX_NR };
static const char *const tx_names[TX_NR] = {
	"blocking", "timed", "dontwait", "batch", "write",
};
static const char *const rx_names[RX_NR] = {
	"blocking", "timed", "dontwait", "batch", "read", "small-buf",
};

struct msg_hdr {
	uint32_t sender;
	uint32_t num;
	uint32_t len;
	uint32_t csum;
};
#define HDR ((uint32_t)sizeof(struct msg_hdr))

struct shared {
	int stop;
	int failed;
	int opened;	/* children that opened the mailbox by name */
	char why[512];
	int32_t tx_pid[NSENDERS];
	uint64_t sent_ok[NSENDERS];	/* next number = messages sent */
	uint64_t tx_calls[TX_NR], tx_msgs[TX_NR];
	uint64_t rx_calls[RX_NR], rx_msgs[RX_NR];
	uint64_t eagain, etimedout, emsgsize, epipe;
	uint64_t received, bytes;
};

struct scenario {
	uint32_t capacity;
	uint32_t msg_size;
};

static const struct scenario scenarios[] = {
	{ 0, 256 },
	{ 1, 4096 },
	{ 8, 65536 },
	{ 128, 64 },
};
#define NSCEN ((int)(sizeof(scenarios) / sizeof(scenarios[0])))

static struct shared *sh;
static uint64_t *kseq_of;	/* [sender][num]: seq it was received with */
static uint8_t *seq_seen;	/* [seq]: how often a seq was seen */
static uint64_t seq_slots;
static uint32_t msg_size;
static uid_t my_uid;

static void fail(const char *fmt, ...)
{
	va_list ap;

	if (__atomic_exchange_n(&sh->failed, 1, __ATOMIC_SEQ_CST) == 0) {
		va_start(ap, fmt);
		vsnprintf(sh->why, sizeof(sh->why), fmt, ap);
		va_end(ap);
	}
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
}

static void add(uint64_t *c, uint64_t n)
{
	__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

/* The whole message for (sender, num): length and bytes from a seeded PRNG. */
static uint32_t build(uint8_t *buf, uint32_t sender, uint32_t num)
{
	uint64_t st = ((uint64_t)sender << 32 | num) * 0x9e3779b97f4a7c15ULL + 1;
	struct msg_hdr h;
	uint32_t len, i;

	len = HDR + mbox_rand(&st) % (msg_size - HDR + 1);
	for (i = HDR; i < len; i++)
		buf[i] = mbox_rand(&st) >> 56;
	h.sender = sender;
	h.num = num;
	h.len = len;
	h.csum = mbox_csum(buf + HDR, len - HDR,
			   mbox_csum(&h, offsetof(struct msg_hdr, csum),
				     2166136261U));
	memcpy(buf, &h, HDR);
	return len;
}

struct rx_state {
	uint32_t last_num[NSENDERS];	/* +1; 0: none yet */
	uint64_t last_seq;
};

/* Check one received message; @kseq is KSEQ_READ for read(2). */
static void check(struct rx_state *rs, const uint8_t *buf, uint32_t len,
		  int32_t pid, uint32_t uid, uint64_t kseq)
{
	struct msg_hdr h;
	uint64_t old;

	if (len < HDR || len > msg_size) {
		fail("received length %u outside %u..%u", len, HDR, msg_size);
		return;
	}
	memcpy(&h, buf, HDR);
	if (h.sender >= NSENDERS || h.len != len || h.num >= PER_SENDER_MAX) {
		fail("bad header: sender %u num %u len %u (received %u)",
		     h.sender, h.num, h.len, len);
		return;
	}
	if (h.csum != mbox_csum(buf + HDR, len - HDR,
				mbox_csum(&h, offsetof(struct msg_hdr, csum),
					  2166136261U))) {
		fail("checksum mismatch: sender %u num %u len %u",
		     h.sender, h.num, len);
		return;
	}
	if (rs->last_num[h.sender] && h.num < rs->last_num[h.sender]) {
		fail("order: a receiver got sender %u's number %u after %u",
		     h.sender, h.num, rs->last_num[h.sender] - 1);
		return;
	}
	rs->last_num[h.sender] = h.num + 1;
	if (kseq != KSEQ_READ) {
		if (pid != sh->tx_pid[h.sender] || uid != my_uid) {
			fail("sender %u: pid %d uid %u, expected %d %u",
			     h.sender, pid, uid, sh->tx_pid[h.sender], my_uid);
			return;
		}
		if (kseq == 0 || kseq >= seq_slots || kseq <= rs->last_seq) {
			fail("seq %llu out of range or not increasing (last %llu)",
			     (unsigned long long)kseq,
			     (unsigned long long)rs->last_seq);
			return;
		}
		rs->last_seq = kseq;
		if (__atomic_fetch_add(&seq_seen[kseq], 1, __ATOMIC_RELAXED)) {
			fail("seq %llu delivered twice", (unsigned long long)kseq);
			return;
		}
	}
	old = __atomic_exchange_n(&kseq_of[(uint64_t)h.sender * PER_SENDER_MAX +
					   h.num], kseq, __ATOMIC_RELAXED);
	if (old) {
		fail("duplicate: sender %u number %u received twice",
		     h.sender, h.num);
		return;
	}
	add(&sh->received, 1);
	add(&sh->bytes, len);
}

static uint64_t deadline(uint64_t *rng)
{
	/* Mostly 0..2 ms ahead; one in 16 already past. */
	if (mbox_rand(rng) % 16 == 0)
		return now_ns() - 1000;
	return now_ns() + mbox_rand(rng) % MS(2);
}

static uint32_t pick_flags(uint64_t *rng, uint64_t *dl)
{
	switch (mbox_rand(rng) % 3) {
	case 0:
		*dl = 0;
		return 0;
	case 1:
		*dl = 0;
		return MBOX_MSG_DONTWAIT;
	default:
		*dl = deadline(rng);
		return MBOX_MSG_DEADLINE;
	}
}

/* An error a call with these flags may give while the mailbox is open. */
static bool tx_err_ok(int err, uint32_t flags, bool nonblock)
{
	if (err == -EAGAIN)
		return (flags & MBOX_MSG_DONTWAIT) || nonblock;
	if (err == -ETIMEDOUT)
		return flags & MBOX_MSG_DEADLINE;
	return false;
}

struct thr_arg {
	int fd;
	uint32_t id;
};

static void *producer(void *p)
{
	struct thr_arg *a = p;
	uint8_t (*bufs)[65536] = malloc(BATCH_MAX * 65536);
	struct mboxio_sendmsg vec[BATCH_MAX];
	uint64_t rng = (uint64_t)a->id * 7919 + now_ns();
	uint32_t num = 0, len, flags, n, i, mech;
	uint64_t dl;
	int ret;

	if (!bufs) {
		fail("malloc");
		return NULL;
	}
	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED) &&
	       num + BATCH_MAX < PER_SENDER_MAX) {
		mech = mbox_rand(&rng) % TX_NR;
		n = 1;
		len = build(bufs[0], a->id, num);
		flags = 0;
		dl = 0;
		switch (mech) {
		case TX_BLOCK:
			ret = mbox_send(a->fd, bufs[0], len, 0, 0);
			break;
		case TX_TIMED:
			dl = deadline(&rng);
			flags = MBOX_MSG_DEADLINE;
			ret = mbox_send(a->fd, bufs[0], len, flags, dl);
			break;
		case TX_DONTWAIT:
			flags = MBOX_MSG_DONTWAIT;
			ret = mbox_send(a->fd, bufs[0], len, flags, 0);
			break;
		case TX_BATCH:
			n = 1 + mbox_rand(&rng) % BATCH_MAX;
			for (i = 0; i < n; i++) {
				vec[i].buf = (uintptr_t)bufs[i];
				vec[i].len = build(bufs[i], a->id, num + i);
				vec[i].priority = 0;
			}
			flags = pick_flags(&rng, &dl);
			ret = mbox_sendv(a->fd, vec, n, flags, dl);
			if (ret == 0 || ret > (int)n) {
				fail("SENDV of %u returned %d", n, ret);
				ret = -EIO;
			}
			break;
		default:
			ret = write(a->fd, bufs[0], len);
			if (ret < 0)
				ret = -errno;
			else if (ret != (int)len)
				fail("write of %u returned %d", len, ret);
			else
				ret = 0;
			break;
		}
		add(&sh->tx_calls[mech], 1);
		if (ret >= 0) {
			n = mech == TX_BATCH ? (uint32_t)ret : 1;
			num += n;
			add(&sh->tx_msgs[mech], n);
			__atomic_store_n(&sh->sent_ok[a->id], num, __ATOMIC_RELEASE);
			continue;
		}
		if (ret == -EAGAIN)
			add(&sh->eagain, 1);
		else if (ret == -ETIMEDOUT)
			add(&sh->etimedout, 1);
		if (!tx_err_ok(ret, flags, false)) {
			fail("sender %u: %s send failed: %s (flags %#x)", a->id,
			     tx_names[mech], strerror(-ret), flags);
			break;
		}
	}
	free(bufs);
	return NULL;
}

static void *consumer(void *p)
{
	struct thr_arg *a = p;
	uint8_t (*bufs)[65536] = malloc(BATCH_MAX * 65536);
	struct mboxio_recvmsg vec[BATCH_MAX];
	struct rx_state *rs = calloc(1, sizeof(*rs));
	uint64_t rng = (uint64_t)a->id * 104729 + now_ns();
	struct mboxio_recv r;
	uint32_t flags, n, i, mech, size;
	uint64_t dl;
	int ret;

	if (!bufs || !rs) {
		fail("malloc");
		return NULL;
	}
	for (;;) {
		mech = mbox_rand(&rng) % RX_NR;
		flags = 0;
		dl = 0;
		switch (mech) {
		case RX_BLOCK:
			ret = mbox_recv(a->fd, bufs[0], msg_size, 0, 0, &r);
			break;
		case RX_TIMED:
			dl = deadline(&rng);
			flags = MBOX_MSG_DEADLINE;
			ret = mbox_recv(a->fd, bufs[0], msg_size, flags, dl, &r);
			break;
		case RX_DONTWAIT:
			flags = MBOX_MSG_DONTWAIT;
			ret = mbox_recv(a->fd, bufs[0], msg_size, flags, 0, &r);
			break;
		case RX_SMALL:
			size = mbox_rand(&rng) % msg_size;
			flags = MBOX_MSG_DONTWAIT;
			ret = mbox_recv(a->fd, bufs[0], size, flags, 0, &r);
			if (ret == -EMSGSIZE) {
				add(&sh->emsgsize, 1);
				if (r.len <= size || r.len > msg_size) {
					fail("EMSGSIZE with len %u for size %u",
					     r.len, size);
					goto out;
				}
				ret = mbox_recv(a->fd, bufs[0], msg_size,
						flags, 0, &r);
			}
			break;
		case RX_BATCH:
			n = 1 + mbox_rand(&rng) % BATCH_MAX;
			memset(vec, 0, sizeof(vec));
			for (i = 0; i < n; i++) {
				vec[i].buf = (uintptr_t)bufs[i];
				vec[i].size = msg_size;
			}
			flags = pick_flags(&rng, &dl);
			ret = mbox_recvv(a->fd, vec, n, flags, dl);
			if (ret == 0 || ret > (int)n) {
				fail("RECVV of %u returned %d", n, ret);
				goto out;
			}
			for (i = 0; ret > 0 && i < (uint32_t)ret; i++)
				check(rs, bufs[i], vec[i].len, vec[i].pid,
				      vec[i].uid, vec[i].seq);
			break;
		default:
			ret = read(a->fd, bufs[0], msg_size);
			if (ret < 0)
				ret = -errno;
			else if (ret == 0)
				ret = -EPIPE;	/* end of stream */
			break;
		}
		add(&sh->rx_calls[mech], 1);
		if (ret >= 0) {
			if (mech == RX_BATCH) {
				add(&sh->rx_msgs[mech], ret);
				continue;
			}
			if (mech == RX_READ)
				check(rs, bufs[0], ret, 0, 0, KSEQ_READ);
			else if ((uint32_t)ret != r.len)
				fail("RECV returned %d, len %u", ret, r.len);
			else
				check(rs, bufs[0], r.len, r.pid, r.uid, r.seq);
			add(&sh->rx_msgs[mech], 1);
			if (__atomic_load_n(&sh->failed, __ATOMIC_RELAXED))
				goto out;
			continue;
		}
		if (ret == -EPIPE) {
			add(&sh->epipe, 1);
			break;
		}
		if (ret == -EAGAIN)
			add(&sh->eagain, 1);
		else if (ret == -ETIMEDOUT)
			add(&sh->etimedout, 1);
		if (!tx_err_ok(ret, flags, false)) {
			fail("receiver %u: %s receive failed: %s (flags %#x)",
			     a->id, rx_names[mech], strerror(-ret), flags);
			break;
		}
	}
out:
	free(rs);
	free(bufs);
	return NULL;
}

/* A process of @nthr threads running @fn on @fd, ids from @id0. */
static void run_threads(void *(*fn)(void *), int fd, uint32_t id0, int nthr)
{
	pthread_t t[8];
	struct thr_arg a[8];
	int i;

	for (i = 0; i < nthr; i++) {
		a[i].fd = fd;
		a[i].id = id0 + i;
		if (pthread_create(&t[i], NULL, fn, &a[i])) {
			fail("pthread_create");
			return;
		}
	}
	for (i = 0; i < nthr; i++)
		pthread_join(t[i], NULL);
}

static void *map_shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static uint64_t tot_sent, tot_recv, tot_checked;
static uint64_t tot_tx[TX_NR], tot_rx[RX_NR];

static void run_scenario(int dev, const struct scenario *sc, double secs)
{
	size_t kseq_bytes = (size_t)NSENDERS * PER_SENDER_MAX * sizeof(uint64_t);
	pid_t tx[NPROC_TX], rx[NPROC_RX];
	uint64_t total = 0, checked = 0, max_seq = 0, nread = 0, s, i, k, prev;
	struct mboxio_stat st;
	char name[64];
	int fd, i2, rc, bad = 0;

	seq_slots = (uint64_t)NSENDERS * PER_SENDER_MAX + 1;
	sh = map_shared(sizeof(*sh));
	kseq_of = map_shared(kseq_bytes);
	seq_seen = map_shared(seq_slots);
	if (!sh || !kseq_of || !seq_seen) {
		ksft_test_result_fail("cap %u: mmap failed\n", sc->capacity);
		return;
	}
	msg_size = sc->msg_size;
	snprintf(name, sizeof(name), "stress.%d.%u", getpid(), sc->capacity);
	fd = mbox_create(dev, name, MBOX_FD_RDWR, 0600, sc->capacity,
			 sc->msg_size);
	if (fd < 0) {
		ksft_test_result_fail("cap %u: create: %s\n", sc->capacity,
				      strerror(-fd));
		goto unmap;
	}

	for (i2 = 0; i2 < NPROC_RX; i2++) {
		fflush(stdout);
		rx[i2] = fork();
		if (rx[i2] == 0) {
			int rfd = fd;

			/* The first consumer uses the inherited fd. */
			if (i2) {
				rfd = mbox_open(dev, name, MBOX_FD_RECV);
				__atomic_fetch_add(&sh->opened, 1, __ATOMIC_SEQ_CST);
			}
			if (rfd < 0)
				fail("open for receive: %s", strerror(-rfd));
			else
				run_threads(consumer, rfd, i2 * NTHR_RX, NTHR_RX);
			_exit(0);
		}
	}
	for (i2 = 0; i2 < NPROC_TX; i2++) {
		fflush(stdout);
		tx[i2] = fork();
		if (tx[i2] == 0) {
			int sfd = mbox_open(dev, name, MBOX_FD_SEND);
			int j;

			__atomic_fetch_add(&sh->opened, 1, __ATOMIC_SEQ_CST);
			for (j = 0; j < NTHR_TX; j++)
				sh->tx_pid[i2 * NTHR_TX + j] = getpid();
			if (sfd < 0)
				fail("open for send: %s", strerror(-sfd));
			else
				run_threads(producer, sfd, i2 * NTHR_TX, NTHR_TX);
			_exit(0);
		}
	}
	/*
	 * The name is not needed any more once every child has opened it:
	 * unlink it while everyone works.
	 */
	{
		uint64_t end = now_ns() + MS(10000);

		while (__atomic_load_n(&sh->opened, __ATOMIC_SEQ_CST) <
		       NPROC_RX - 1 + NPROC_TX && now_ns() < end)
			usleep(1000);
	}
	rc = mbox_unlink(dev, name);
	if (rc)
		fail("unlink: %s", strerror(-rc));

	{
		uint64_t end = now_ns() + (uint64_t)(secs * 1e9);

		while (now_ns() < end &&
		       !__atomic_load_n(&sh->stop, __ATOMIC_RELAXED))
			usleep(10000);
	}
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	/* After a failure consumers may be gone: unblock the producers. */
	if (__atomic_load_n(&sh->failed, __ATOMIC_SEQ_CST))
		mbox_shutdown(fd);
	for (i2 = 0; i2 < NPROC_TX; i2++)
		if (mbox_reap(tx[i2]) != 0)
			fail("producer process %d died", i2);
	rc = mbox_shutdown(fd);
	if (rc)
		fail("shutdown: %s", strerror(-rc));
	for (i2 = 0; i2 < NPROC_RX; i2++)
		if (mbox_reap(rx[i2]) != 0)
			fail("consumer process %d died", i2);

	/* Exactly what was sent, each once, in each sender's order. */
	for (s = 0; s < NSENDERS && !sh->failed; s++) {
		uint64_t n = sh->sent_ok[s];

		total += n;
		prev = 0;
		for (i = 0; i < n; i++) {
			k = kseq_of[s * PER_SENDER_MAX + i];
			if (!k) {
				fail("lost: sender %llu number %llu of %llu",
				     (unsigned long long)s,
				     (unsigned long long)i,
				     (unsigned long long)n);
				break;
			}
			checked++;
			if (k == KSEQ_READ) {
				nread++;
				continue;
			}
			if (k <= prev) {
				fail("order: sender %llu number %llu has seq %llu after %llu",
				     (unsigned long long)s,
				     (unsigned long long)i,
				     (unsigned long long)k,
				     (unsigned long long)prev);
				break;
			}
			prev = k;
			if (k > max_seq)
				max_seq = k;
		}
		for (i = n; i < n + 2 * BATCH_MAX && i < PER_SENDER_MAX; i++) {
			if (kseq_of[s * PER_SENDER_MAX + i]) {
				fail("phantom: sender %llu number %llu arrived but its send failed",
				     (unsigned long long)s,
				     (unsigned long long)i);
				break;
			}
		}
	}
	if (!sh->failed && sh->received != total)
		fail("received %llu messages, %llu were sent",
		     (unsigned long long)sh->received,
		     (unsigned long long)total);
	/* seq runs 1..total: read(2) receptions fill the gaps left. */
	if (!sh->failed && max_seq > total)
		fail("largest seq %llu above the %llu messages",
		     (unsigned long long)max_seq, (unsigned long long)total);
	if (!sh->failed) {
		for (i = 1; i <= max_seq; i++)
			if (!seq_seen[i])
				bad++;
		if ((uint64_t)bad > nread)
			fail("%d seq numbers missing, only %llu read(2) receptions",
			     bad, (unsigned long long)nread);
	}
	rc = mbox_stat(fd, &st);
	if (!sh->failed && (rc || st.sent != total || st.received != total ||
			    st.queued || st.queued_bytes ||
			    st.waiting_senders || st.waiting_receivers ||
			    st.flags != (MBOX_STAT_SHUTDOWN | MBOX_STAT_UNLINKED)))
		fail("stat: rc %d sent %llu received %llu queued %u bytes %llu senders %u receivers %u flags %#x; expected %llu",
		     rc, (unsigned long long)st.sent,
		     (unsigned long long)st.received, st.queued,
		     (unsigned long long)st.queued_bytes, st.waiting_senders,
		     st.waiting_receivers, st.flags, (unsigned long long)total);
	close(fd);

	ksft_print_msg("stress: capacity %u msg_size %u: sent %llu received %llu checked %llu (%llu bytes); EAGAIN %llu ETIMEDOUT %llu EMSGSIZE %llu EPIPE %llu\n",
		       sc->capacity, sc->msg_size, (unsigned long long)total,
		       (unsigned long long)sh->received,
		       (unsigned long long)checked,
		       (unsigned long long)sh->bytes,
		       (unsigned long long)sh->eagain,
		       (unsigned long long)sh->etimedout,
		       (unsigned long long)sh->emsgsize,
		       (unsigned long long)sh->epipe);
	tot_sent += total;
	tot_recv += sh->received;
	tot_checked += checked;
	for (i2 = 0; i2 < TX_NR; i2++)
		tot_tx[i2] += sh->tx_msgs[i2];
	for (i2 = 0; i2 < RX_NR; i2++)
		tot_rx[i2] += sh->rx_msgs[i2];
	if (sh->failed)
		ksft_test_result_fail("capacity %u msg_size %u: %s\n",
				      sc->capacity, sc->msg_size, sh->why);
	else
		ksft_test_result(total > 0, "capacity %u msg_size %u\n",
				 sc->capacity, sc->msg_size);
unmap:
	munmap(sh, sizeof(*sh));
	munmap(kseq_of, kseq_bytes);
	munmap(seq_seen, seq_slots);
}

int main(int argc, char **argv)
{
	double secs = mbox_run_seconds(argc, argv, "MBOX_STRESS_SECONDS", 6);
	char line[512];
	int dev, i, len;

	ksft_print_header();
	dev = mbox_dev_open();
	if (dev < 0)
		ksft_exit_skip(MBOX_DEV " not available (module not loaded?)\n");
	ksft_set_plan(NSCEN);
	my_uid = geteuid();
	ksft_print_msg("stress: %.1f s over %d scenarios, %d producers (%d processes x %d threads), %d consumers (%d x %d)\n",
		       secs, NSCEN, NSENDERS, NPROC_TX, NTHR_TX, NRECEIVERS,
		       NPROC_RX, NTHR_RX);
	for (i = 0; i < NSCEN; i++)
		run_scenario(dev, &scenarios[i], secs / NSCEN);
	close(dev);

	len = snprintf(line, sizeof(line), "sent by");
	for (i = 0; i < TX_NR; i++)
		len += snprintf(line + len, sizeof(line) - len, " %s %llu",
				tx_names[i], (unsigned long long)tot_tx[i]);
	len += snprintf(line + len, sizeof(line) - len, "; received by");
	for (i = 0; i < RX_NR; i++)
		len += snprintf(line + len, sizeof(line) - len, " %s %llu",
				rx_names[i], (unsigned long long)tot_rx[i]);
	ksft_print_msg("stress: %s\n", line);
	ksft_print_msg("stress: total: %llu messages sent, %llu received, %llu checked\n",
		       (unsigned long long)tot_sent,
		       (unsigned long long)tot_recv,
		       (unsigned long long)tot_checked);
	ksft_finished();
}
