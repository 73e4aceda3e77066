// SPDX-License-Identifier: GPL-2.0
/*
 * mbox ioctl fuzzer.
 *
 * bad_memory (deterministic): output structs in a PROT_READ page give
 * EFAULT and leave it unchanged; structs and payloads straddling into a
 * PROT_NONE or a read-only page, kernel and non-canonical pointers give
 * EFAULT; a receive that faults takes nothing, a batch stops before the
 * element that faults, a send that faults sends nothing.
 *
 * fuzz (for a fixed time): several threads as root, and a child process
 * as uid 1000 with threads of its own, issue ioctls on a shared pool of
 * /dev/mbox and mailbox fds: mostly (nine calls in ten) the valid
 * commands on the kind of fd that answers them, now and then with an
 * older or newer struct size, with semi-valid or mutated structs (random flags, pads, sizes, counts, deadlines, names
 * from a small set or invalid ones), near-valid numbers (type 0xBB with
 * another number, size or direction), random numbers, and pointers that
 * are NULL, unmapped, read-only, straddle into a PROT_NONE or read-only
 * page, kernel or non-canonical. Meanwhile the pool changes under them:
 * fds are closed, replaced, dup()ed, made non-blocking, shut down; and a
 * thread interrupts blocked calls with signals. Every result must be a
 * valid success or -1 with an errno that uapi/linux/mbox.h documents
 * (ENOTTY exactly for a command that is not mbox's). At the end every
 * mailbox the fuzzer created is unlinked and closed and the count of
 * mailboxes is back where it started.
 *
 * max_capacity is lowered to 64 during the run so that queued messages
 * stay within the VM's memory, and max_msg_size pinned to MSG_MAX so that
 * no receive can write past the fuzzer's scratch areas.
 *
 * Duration: -t SECONDS or MBOX_FUZZ_SECONDS (default 3). Prints
 * "# fuzz: N calls, M errors by errno ..."; TAP via kselftest.h.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include "mbox_helpers.h"
#include "../kselftest.h"

#define NSLOTS		16
#define NDEV		3	/* slots 0..NDEV-1 hold /dev/mbox fds */
#define NTHREADS	4
#define NNAMES		8
#define RW_SIZE		(256 * 1024)
/*
 * A receive may write a whole message (at most MSG_MAX: the run pins
 * max_msg_size there) past any buffer start inside RW_SIZE, whatever size
 * the fuzzed struct claims: the area reaches that far so the kernel never
 * writes into the fuzzer's own memory.
 */
#define MSG_MAX		65536
#define RW_MAP		(RW_SIZE + MSG_MAX)
#define MAXERR		200

static long pg;
static uint8_t *ro_page;	/* PROT_READ, 0x5a */
static uint8_t *rw_none;	/* page RW, then page PROT_NONE */
static uint8_t *rw_ro;		/* page RW, then page PROT_READ */
static char names[NNAMES][MBOX_NAME_MAX + 1];

struct counters {
	uint64_t calls, ok, valid;
	uint64_t err[MAXERR];
	int failed;
	char why[512];
};
static struct counters *cnt;	/* shared with the unprivileged child */

static int slots[NSLOTS];
static volatile int stop;

static void fail(const char *fmt, ...)
{
	va_list ap;

	if (__atomic_exchange_n(&cnt->failed, 1, __ATOMIC_SEQ_CST) == 0) {
		va_start(ap, fmt);
		vsnprintf(cnt->why, sizeof(cnt->why), fmt, ap);
		va_end(ap);
	}
}

static const unsigned long valid_dev[] = {
	MBOXIO_INFO, MBOXIO_CREATE, MBOXIO_OPEN, MBOXIO_UNLINK,
};
static const unsigned long valid_box[] = {
	MBOXIO_SEND, MBOXIO_RECV, MBOXIO_STAT, MBOXIO_SHUTDOWN,
	MBOXIO_SENDV, MBOXIO_RECVV, MBOXIO_CALL, MBOXIO_REPLY,
	MBOXIO_REPLY_RECV, MBOXIO_NOTIFY, MBOXIO_NOTIFY_WAIT, MBOXIO_LEASE,
};

/*
 * Whether @cmd is one the module answers: a command is matched by its
 * direction, type and number, whatever its size (structs grow: the size is
 * the caller's struct), and ABI version 1's _IOW MBOXIO_RECVV too.
 */
#define IOC_KIND(cmd)	((cmd) & ~((unsigned long)_IOC_SIZEMASK << _IOC_SIZESHIFT))

static bool is_mbox_cmd(unsigned long cmd)
{
	unsigned int i;

	if (IOC_KIND(cmd) == IOC_KIND(_IOW(MBOX_IOCTL_TYPE, 0x15, struct mboxio_batch)))
		return true;
	for (i = 0; i < sizeof(valid_dev) / sizeof(valid_dev[0]); i++)
		if (IOC_KIND(cmd) == IOC_KIND(valid_dev[i]))
			return true;
	for (i = 0; i < sizeof(valid_box) / sizeof(valid_box[0]); i++)
		if (IOC_KIND(cmd) == IOC_KIND(valid_box[i]))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */

struct fz {
	uint64_t rng;
	uint8_t *rw;		/* this thread's RW_SIZE area */
	uint64_t last_lease;	/* the last lease handle a receive gave */
	bool unpriv;
};

static uint64_t rnd(struct fz *f, uint64_t n)
{
	return n ? mbox_rand(&f->rng) % n : 0;
}

/* Whether the kernel writes to memory that @cmd's struct points to. */
static bool writes_through(unsigned long cmd)
{
	switch (IOC_KIND(cmd)) {
	case IOC_KIND(MBOXIO_RECV):
	case IOC_KIND(MBOXIO_RECVV):
	case IOC_KIND(MBOXIO_CALL):
	case IOC_KIND(MBOXIO_REPLY_RECV):
		return true;
	default:
		return false;
	}
}

/* A pointer no byte can be read through: NULL, unmapped, kernel, odd. */
static uint64_t unreadable_ptr(struct fz *f)
{
	switch (rnd(f, 4)) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)mbox_bad_ptr();
	case 2:
		return 0xffffffff81000000ULL + rnd(f, 1 << 20);
	default:
		return 0x8000000000000000ULL | mbox_rand(&f->rng);
	}
}

/* Somewhere to put @size bytes: mostly good, sometimes anything but. */
static uint64_t some_ptr(struct fz *f, uint32_t size, bool out)
{
	switch (rnd(f, 24)) {
	case 0:
	case 1:
	case 2:
	case 3:
		return unreadable_ptr(f);
	case 4:
		return (uintptr_t)ro_page + rnd(f, pg);
	case 5:	/* straddles into PROT_NONE */
		return (uintptr_t)rw_none + pg - 1 - rnd(f, size ? size : 1);
	case 6:	/* straddles into read-only */
		return (uintptr_t)rw_ro + pg - 1 - rnd(f, size ? size : 1);
	case 7:
		return mbox_rand(&f->rng);
	default:
		size = size < RW_SIZE ? size : RW_SIZE;
		return (uintptr_t)f->rw + rnd(f, RW_SIZE - size + 1);
	}
}

static uint64_t some_name(struct fz *f)
{
#define X16	"0123456789abcdef"
#define X64	X16 X16 X16 X16
	/* Empty, a '/', or MBOX_NAME_MAX + 1 bytes long. */
	static const char *const bad[] = {
		"", "fz/x", "/fz", "fz/", "//", X64 X64 X64 X64,
	};
	char *end;

	switch (rnd(f, 10)) {
	case 0:
		/*
		 * Not some_ptr(): into the scratch areas, any bytes without
		 * a '/' are a name, which the fuzzer would have to find to
		 * unlink.
		 */
		return unreadable_ptr(f);
	case 1:
		return (uintptr_t)bad[rnd(f, 6)];
	case 2:	/* valid characters up to a PROT_NONE page, no NUL */
		end = (char *)rw_none + pg;
		memset(end - 8, 'q', 8);
		return (uintptr_t)(end - 1 - rnd(f, 8));
	default:
		return (uintptr_t)names[rnd(f, NNAMES)];
	}
}

static uint32_t some_u32(struct fz *f, uint32_t common)
{
	switch (rnd(f, 8)) {
	case 0:
		return mbox_rand(&f->rng);
	case 1:
		return 1U << rnd(f, 32);
	case 2:
		return common + 1;
	default:
		return common;
	}
}

static uint32_t msg_flags(struct fz *f)
{
	static const uint32_t fl[] = {
		MBOX_MSG_DONTWAIT, MBOX_MSG_DONTWAIT, MBOX_MSG_DEADLINE,
		MBOX_MSG_DEADLINE, 0, MBOX_MSG_ALL, 4, 0x80000000,
		MBOX_MSG_LEASE | MBOX_MSG_DONTWAIT, MBOX_MSG_LEASE,
	};

	return fl[rnd(f, sizeof(fl) / sizeof(fl[0]))];
}

static uint64_t deadline(struct fz *f, uint32_t flags)
{
	if (!(flags & MBOX_MSG_DEADLINE))
		return rnd(f, 16) ? 0 : mbox_rand(&f->rng);
	switch (rnd(f, 6)) {
	case 0:
		return 0;
	case 1:
		return UINT64_MAX;
	case 2:	/* around the kernel's largest time */
		return (1ULL << 63) - 2 + rnd(f, 4);
	default:
		return now_ns() + rnd(f, MS(2));
	}
}

/* Build the argument of @cmd in this thread's area; returns its address. */
static uint64_t make_arg(struct fz *f, unsigned long cmd)
{
	uint8_t *a = f->rw + 8 * rnd(f, 64);	/* structs at the start */
	uint32_t n, i, stride;

	memset(a, 0, 256);	/* zeros past the struct too: a newer size */
	switch (IOC_KIND(cmd)) {
	case IOC_KIND(MBOXIO_CREATE): {
		struct mboxio_create *c = (void *)a;

		c->name = rnd(f, 4) ? some_name(f) : 0;
		c->flags = some_u32(f, 1 + rnd(f, 15));
		c->mode = some_u32(f, rnd(f, 0777));
		c->capacity = some_u32(f, rnd(f, 17));
		c->msg_size = some_u32(f, 1 + rnd(f, MSG_MAX));
		c->__pad = rnd(f, 16) ? 0 : mbox_rand(&f->rng);
		break;
	}
	case IOC_KIND(MBOXIO_OPEN):
	case IOC_KIND(MBOXIO_UNLINK): {
		struct mboxio_open *o = (void *)a;

		o->name = some_name(f);
		o->flags = IOC_KIND(cmd) == IOC_KIND(MBOXIO_OPEN) ? some_u32(f, 1 + rnd(f, 15)) :
			   (rnd(f, 8) ? 0 : 1);
		o->__pad = rnd(f, 16) ? 0 : 1;
		break;
	}
	case IOC_KIND(MBOXIO_SEND): {
		struct mboxio_send *s = (void *)a;

		s->len = some_u32(f, rnd(f, 4097));
		s->buf = some_ptr(f, s->len, false);
		s->flags = msg_flags(f);
		s->deadline_ns = deadline(f, s->flags);
		break;
	}
	case IOC_KIND(MBOXIO_RECV): {
		struct mboxio_recv *r = (void *)a;

		r->size = some_u32(f, rnd(f, 65537));
		r->buf = some_ptr(f, r->size, true);
		r->flags = msg_flags(f);
		r->deadline_ns = deadline(f, r->flags);
		r->len = mbox_rand(&f->rng);
		/* Short leases, none, or any value. */
		r->lease_ns = rnd(f, 4) ? rnd(f, MS(3)) :
			      rnd(f, 2) ? 0 : mbox_rand(&f->rng);
		break;
	}
	case IOC_KIND(MBOXIO_LEASE): {
		struct mboxio_lease *l = (void *)a;

		/* Handles are sequential: near the last one seen, or any. */
		l->lease_id = rnd(f, 8) ? f->last_lease - rnd(f, 4) :
			      mbox_rand(&f->rng);
		l->op = rnd(f, 8) ? 1 + rnd(f, 3) : some_u32(f, 4);
		l->lease_ns = l->op == MBOX_LEASE_EXTEND && rnd(f, 2) ?
			      rnd(f, MS(3)) : rnd(f, 16) ? 0 : mbox_rand(&f->rng);
		l->__pad = rnd(f, 16) ? 0 : 1;
		break;
	}
	case IOC_KIND(MBOXIO_CALL): {
		struct mboxio_call *c = (void *)a;

		c->len = some_u32(f, rnd(f, 4097));
		c->buf = some_ptr(f, c->len, false);
		c->reply_size = some_u32(f, rnd(f, 4097));
		c->reply_buf = some_ptr(f, c->reply_size, true);
		/* A call waits for its reply: always soon over, or a signal. */
		c->flags = (rnd(f, 4) ? MBOX_MSG_DEADLINE : msg_flags(f)) |
			   (rnd(f, 8) ? 0 : MBOX_CALL_CANCEL);
		c->deadline_ns = now_ns() + rnd(f, MS(2));
		if (!(c->flags & MBOX_MSG_DEADLINE))
			c->deadline_ns = 0;
		c->token = rnd(f, 4) ? 0 : rnd(f, 64);
		break;
	}
	case IOC_KIND(MBOXIO_REPLY):
	case IOC_KIND(MBOXIO_REPLY_RECV): {
		struct mboxio_reply_recv *rr = (void *)a;

		memset(rr, 0, sizeof(*rr));
		rr->reply.reply_id = rnd(f, 4) ? rnd(f, 64) : mbox_rand(&f->rng);
		rr->reply.len = some_u32(f, rnd(f, 4097));
		rr->reply.buf = some_ptr(f, rr->reply.len, false);
		rr->reply.flags = rnd(f, 16) ? 0 : 1;
		rr->recv.size = some_u32(f, rnd(f, 65537));
		rr->recv.buf = some_ptr(f, rr->recv.size, true);
		rr->recv.flags = msg_flags(f);
		rr->recv.deadline_ns = deadline(f, rr->recv.flags);
		break;
	}
	case IOC_KIND(MBOXIO_NOTIFY):
	case IOC_KIND(MBOXIO_NOTIFY_WAIT): {
		struct mboxio_notify *nt = (void *)a;

		nt->how = rnd(f, 8) ? rnd(f, 4) : some_u32(f, 5);
		if (IOC_KIND(cmd) == IOC_KIND(MBOXIO_NOTIFY_WAIT))
			nt->how = rnd(f, 8) ? 0 : 1;
		/* Only the signal the fuzzer handles, or none. */
		nt->signo = rnd(f, 2) ? 0 : SIGUSR1;
		nt->value = rnd(f, 4) ? 0 : mbox_rand(&f->rng);
		nt->token = rnd(f, 4) ? 0 : rnd(f, 64);
		break;
	}
	case IOC_KIND(MBOXIO_SENDV):
	case IOC_KIND(MBOXIO_RECVV): {
		struct mboxio_batch *b = (void *)a;
		uint8_t *v = f->rw + 4096;

		n = rnd(f, 9);
		if (!rnd(f, 16))
			n = some_u32(f, MBOX_BATCH_MAX);
		b->count = n;
		b->flags = msg_flags(f);
		b->deadline_ns = deadline(f, b->flags);
		b->vec = rnd(f, 8) ? (uintptr_t)v : some_ptr(f, 64 * 8, true);
		/* Mostly the first version's elements; v2 receives too. */
		if (rnd(f, 4))
			b->elem_size = 0;
		else if (IOC_KIND(cmd) == IOC_KIND(MBOXIO_RECVV) && rnd(f, 2))
			b->elem_size = sizeof(struct mboxio_recvmsg_v2);
		else
			b->elem_size = rnd(f, 64);
		/*
		 * The elements sit at the stride the kernel will walk, so that
		 * its buffer pointers are the ones chosen here, never bytes
		 * of a neighbour read as a pointer into this process.
		 */
		stride = IOC_KIND(cmd) == IOC_KIND(MBOXIO_SENDV) ? 16 : 40;
		if (b->elem_size > stride)
			stride = b->elem_size;
		memset(v, 0, 8 * 64);
		for (i = 0; i < 8; i++) {
			if (IOC_KIND(cmd) == IOC_KIND(MBOXIO_SENDV)) {
				struct mboxio_sendmsg *m = (void *)v + stride * i;

				m->len = some_u32(f, rnd(f, 2049));
				m->buf = some_ptr(f, m->len, false);
				m->priority = rnd(f, 4) ? rnd(f, 4) :
					      some_u32(f, MBOX_PRIO_MAX + 1);
			} else {
				struct mboxio_recvmsg *m = (void *)v + stride * i;

				memset(m, 0xa5, sizeof(*m));
				m->size = some_u32(f, rnd(f, 65537));
				m->buf = some_ptr(f, m->size, true);
			}
		}
		break;
	}
	default:
		memset(a, 0xa5, 64);
		break;
	}
	/*
	 * Now and then a flipped bit anywhere in the struct; not in one the
	 * kernel writes through (a receive's buffer, a batch's vector, a
	 * reply buffer): a pointer into the scratch area with one bit
	 * flipped can point into the fuzzer's own stacks or libc's data,
	 * and the kernel would then corrupt the fuzzer, not test itself.
	 */
	if (!rnd(f, 8) && !writes_through(cmd))
		a[rnd(f, 48)] ^= 1 << rnd(f, 8);
	if (!rnd(f, 12))
		return some_ptr(f, 64, true);
	return (uintptr_t)a;
}

/*
 * A name as /proc/driver/mbox shows it back to its bytes, in place: a
 * backslash and three octal digits are one byte (module/show.c).
 */
static void unescape_name(char *s)
{
	char *out = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
					(s[3] - '0'));
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

static void count_err(int e)
{
	__atomic_fetch_add(&cnt->err[e < MAXERR ? e : 0], 1, __ATOMIC_RELAXED);
}

static int pick_fd(struct fz *f, bool dev)
{
	return __atomic_load_n(&slots[dev ? rnd(f, NDEV) : NDEV + rnd(f, NSLOTS - NDEV)],
			       __ATOMIC_RELAXED);
}

/* A new fd took a slot: close what it replaces. */
static void replace(struct fz *f, int fd)
{
	int old = __atomic_exchange_n(&slots[NDEV + rnd(f, NSLOTS - NDEV)], fd,
				      __ATOMIC_SEQ_CST);

	if (old >= 0)
		close(old);
}

static void one_call(struct fz *f)
{
	unsigned long cmd;
	uint64_t arg;
	int kind = rnd(f, 100), fd, ret, e, type;
	bool mbox_cmd;

	if (kind < 8) {
		/* Change the pool under the others. */
		fd = pick_fd(f, false);
		switch (rnd(f, 5)) {
		case 0:
			ret = dup(fd);
			if (ret >= 0)
				replace(f, ret);
			break;
		case 1:
			fcntl(fd, F_SETFL, rnd(f, 2) ? O_NONBLOCK : 0);
			break;
		case 2:
			ret = mbox_ioctl(fd, MBOXIO_SHUTDOWN, NULL);
			break;
		case 3: {
			uint8_t *b = f->rw + 8192;

			if (rnd(f, 2))
				ret = write(fd, b, rnd(f, 2048));
			else
				ret = read(fd, b, rnd(f, 70000));
			(void)ret;
			break;
		}
		default:
			ret = mbox_create(pick_fd(f, true), NULL,
					  MBOX_FD_RDWR | MBOX_FD_NONBLOCK |
					  MBOX_FD_CLOEXEC, 0600, rnd(f, 5),
					  1 + rnd(f, 4096));
			if (ret >= 0)
				replace(f, ret);
		}
		return;
	}
	/*
	 * Most calls are real commands on the kind of fd that answers them,
	 * where the bugs live; a tenth go to the wrong kind of fd, and a few
	 * are near-valid or random numbers, which only need to say ENOTTY.
	 */
	if (kind < 90) {
		bool dev = rnd(f, 4) == 0;

		mbox_cmd = true;
		cmd = dev ? valid_dev[rnd(f, 4)] : valid_box[rnd(f, 6)];
		/* Now and then an older or newer struct size: structs grow. */
		if (!rnd(f, 8) && _IOC_DIR(cmd) != _IOC_NONE)
			cmd = _IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd),
				   rnd(f, 2) ? 8 * rnd(f, 16) : rnd(f, 200));
		fd = pick_fd(f, rnd(f, 10) ? dev : !dev);
		__atomic_fetch_add(&cnt->valid, 1, __ATOMIC_RELAXED);
	} else if (kind < 97) {
		/* Near-valid: mbox's type, other number, size or direction. */
		do {
			cmd = _IOC(rnd(f, 4), MBOX_IOCTL_TYPE,
				   rnd(f, 8) ? rnd(f, 0x18) : rnd(f, 256),
				   rnd(f, 4) ? 8 * rnd(f, 8) : rnd(f, 1 << 14));
		} while (is_mbox_cmd(cmd));
		mbox_cmd = false;
		fd = pick_fd(f, rnd(f, 2));
	} else {
		/* Random, but not a type byte the VFS itself answers. */
		do {
			cmd = (uint32_t)mbox_rand(&f->rng);
			type = _IOC_TYPE(cmd);
		} while (is_mbox_cmd(cmd) || type == 0 || type == 'T' ||
			 type == 'f' || type == 'X' || type == 0x94 ||
			 type == 0x15 || type == 0x12);
		mbox_cmd = false;
		fd = pick_fd(f, rnd(f, 2));
	}
	arg = make_arg(f, cmd);
	ret = ioctl(fd, cmd, (unsigned long)arg);
	e = errno;
	__atomic_fetch_add(&cnt->calls, 1, __ATOMIC_RELAXED);
	if (ret < 0) {
		count_err(e);
		if (ret != -1)
			fail("ioctl %#lx returned %d", cmd, ret);
		else if (!mbox_cmd && e != ENOTTY && e != EBADF)
			fail("unknown ioctl %#lx: %s, not ENOTTY", cmd, strerror(e));
		else if (!mbox_errno_documented(e))
			fail("ioctl %#lx: undocumented errno %d (%s)", cmd, e,
			     strerror(e));
		return;
	}
	__atomic_fetch_add(&cnt->ok, 1, __ATOMIC_RELAXED);
	if (!mbox_cmd) {
		fail("unknown ioctl %#lx succeeded (%d)", cmd, ret);
		return;
	}
	switch (IOC_KIND(cmd)) {
	case IOC_KIND(MBOXIO_CREATE):
	case IOC_KIND(MBOXIO_OPEN):
		if (ret < 3)
			fail("create/open returned fd %d", ret);
		else
			replace(f, ret);
		break;
	case IOC_KIND(MBOXIO_RECV): {
		const struct mboxio_recv *r = (const void *)(uintptr_t)arg;

		if (ret > 4 << 20)
			fail("RECV returned %d", ret);
		if (_IOC_SIZE(cmd) >= sizeof(*r) && r->lease_id)
			f->last_lease = r->lease_id;
		break;
	}
	case IOC_KIND(MBOXIO_SENDV):
	case IOC_KIND(MBOXIO_RECVV):
		if (ret > MBOX_BATCH_MAX)
			fail("batch returned %d", ret);
		break;
	default:
		if (ret)
			fail("ioctl %#lx returned %d", cmd, ret);
	}
}

static void *fuzz_thread(void *p)
{
	struct fz *f = p;

	while (!stop && !cnt->failed)
		one_call(f);
	return NULL;
}

static void on_sig(int sig)
{
}

/* Threads fuzzing until @secs pass, with a signaller breaking waits. */
static void fuzz_for(double secs, int nthreads, uint64_t seed, bool unpriv)
{
	struct sigaction sa = { .sa_handler = on_sig };	/* no SA_RESTART */
	pthread_t thr[NTHREADS];
	struct fz fz[NTHREADS];
	uint64_t end = now_ns() + (uint64_t)(secs * 1e9);
	int i;

	sigaction(SIGUSR1, &sa, NULL);
	stop = 0;
	for (i = 0; i < nthreads; i++) {
		fz[i].rng = seed + i * 0x9e3779b97f4a7c15ULL;
		fz[i].unpriv = unpriv;
		fz[i].rw = mmap(NULL, RW_MAP, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (fz[i].rw == MAP_FAILED) {
			fail("mmap");
			return;
		}
		/* No byte of it is a name character. */
		for (int j = 0; j < RW_MAP; j++)
			fz[i].rw[j] = 0x80 | (mbox_rand(&fz[i].rng) >> 57);
		pthread_create(&thr[i], NULL, fuzz_thread, &fz[i]);
	}
	while (now_ns() < end && !cnt->failed) {
		usleep(5000);
		for (i = 0; i < nthreads; i++)
			pthread_kill(thr[i], SIGUSR1);
	}
	stop = 1;
	for (i = 0; i < nthreads; i++) {
		/* Keep interrupting until it has left any wait. */
		while (pthread_tryjoin_np(thr[i], NULL)) {
			pthread_kill(thr[i], SIGUSR1);
			usleep(1000);
		}
		munmap(fz[i].rw, RW_MAP);
	}
}

static void fill_pool(int dev)
{
	static const uint32_t fl[] = {
		MBOX_FD_RDWR, MBOX_FD_RDWR | MBOX_FD_NONBLOCK, MBOX_FD_RECV,
		MBOX_FD_SEND | MBOX_FD_NONBLOCK,
	};
	int i;

	for (i = 0; i < NSLOTS; i++) {
		if (i < NDEV)
			slots[i] = mbox_dev_open();
		else if (i < NDEV + NNAMES)
			slots[i] = mbox_create(dev, names[i - NDEV],
					       fl[i % 4] | MBOX_FD_CLOEXEC,
					       i % 2 ? 0666 : 0600, i % 3 * 4,
					       1 << (i % 17));
		else
			slots[i] = mbox_create(dev, NULL, fl[i % 4] | MBOX_FD_CLOEXEC,
					       0600, i % 5, 64 + i);
	}
}

static void empty_pool(void)
{
	int i, fd;

	for (i = 0; i < NSLOTS; i++) {
		fd = __atomic_exchange_n(&slots[i], -1, __ATOMIC_SEQ_CST);
		if (fd >= 0)
			close(fd);
	}
}

/* Names listed in /proc/driver/mbox (not "(anonymous)"), newline-separated. */
static char *list_names(void)
{
	char *buf = mbox_read_file("/proc/driver/mbox"), *out, *line, *save;
	char name[4 * MBOX_NAME_MAX + 2];
	size_t len = 0;

	if (!buf)
		return strdup("");
	out = calloc(1, strlen(buf) + 2);
	line = strtok_r(buf, "\n", &save);
	for (line = strtok_r(NULL, "\n", &save); line;	/* skip the header */
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%1021s", name) == 1 && name[0] != '(')
			len += sprintf(out + len, "%s\n", name);
	}
	free(buf);
	return out;
}

static void test_fuzz(int dev, double secs)
{
	long before = mbox_count(dev), old_cap = mbox_param_read("max_capacity");
	long old_size = mbox_param_read("max_msg_size");
	char *names0 = list_names(), *names1, *line, *save, key[4 * MBOX_NAME_MAX + 4];
	uint64_t seed = now_ns();
	int i, st, leftovers = 0;
	pid_t child;

	for (i = 0; i < NNAMES; i++)
		snprintf(names[i], sizeof(names[i]), "fz.%d.%d", getpid(), i);
	/* The longest name there is, in the set too. */
	memset(names[NNAMES - 1], 'z', MBOX_NAME_MAX);
	names[NNAMES - 1][MBOX_NAME_MAX] = 0;
	memcpy(names[NNAMES - 1], "fz.", 3);
	mbox_param_write("max_capacity", 64);
	mbox_param_write("max_msg_size", MSG_MAX);

	ksft_print_msg("fuzz: %.1f s, seed %llu, %d root threads + %d as uid 1000\n",
		       secs, (unsigned long long)seed, NTHREADS, NTHREADS / 2);
	fill_pool(dev);
	fflush(stdout);
	child = fork();
	if (child == 0) {
		/* Its own copy of the pool, as another user. */
		if (mbox_become(1000, 1000, 0, NULL))
			_exit(3);
		fuzz_for(secs, NTHREADS / 2, seed ^ 0xabcdef, true);
		empty_pool();
		_exit(0);
	}
	fuzz_for(secs, NTHREADS, seed, false);
	st = mbox_reap(child);
	if (st)
		fail("unprivileged fuzzer exited with %d", st);
	empty_pool();

	/* Unlink whatever the fuzzers created under a name. */
	names1 = list_names();
	for (line = strtok_r(names1, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		snprintf(key, sizeof(key), "%s\n", line);
		if (strstr(names0, key))
			continue;
		unescape_name(line);
		if (mbox_unlink(dev, line) == 0)
			leftovers++;
	}
	mbox_param_write("max_capacity", old_cap > 0 ? old_cap : 1024);
	mbox_param_write("max_msg_size", old_size > 0 ? old_size : MSG_MAX);
	{
		uint64_t end = now_ns() + MS(3000);

		while (mbox_count(dev) != before && now_ns() < end)
			usleep(2000);
	}
	if (mbox_count(dev) != before)
		fail("%ld mailboxes left, %ld before", mbox_count(dev), before);
	free(names0);
	free(names1);

	{
		char line2[2048];
		int len = 0;

		for (i = 1; i < MAXERR; i++)
			if (cnt->err[i])
				len += snprintf(line2 + len, sizeof(line2) - len,
						" %s %llu", strerrorname_np(i) ?: "?",
						(unsigned long long)cnt->err[i]);
		uint64_t nerr = 0;

		for (i = 0; i < MAXERR; i++)
			nerr += cnt->err[i];
		ksft_print_msg("fuzz: %llu calls (%llu real commands), %llu succeeded, %llu errors by errno:%s; %d named mailboxes unlinked after\n",
			       (unsigned long long)cnt->calls,
			       (unsigned long long)cnt->valid,
			       (unsigned long long)cnt->ok,
			       (unsigned long long)nerr, line2, leftovers);
	}
	if (cnt->failed)
		ksft_test_result_fail("fuzz: %s\n", cnt->why);
	else
		ksft_test_result(cnt->calls > 0 && cnt->ok > 0, "fuzz\n");
}

/* ------------------------------------------------------------------ */

#define EXPECT(cond, ...) do { if (!(cond)) { fail(__VA_ARGS__); return; } } while (0)

static bool ro_intact(void)
{
	long i;

	for (i = 0; i < pg; i++)
		if (ro_page[i] != 0x5a)
			return false;
	return true;
}

static void bad_memory_checks(int dev)
{
	struct mboxio_stat st;
	struct mboxio_recv *r;
	struct mboxio_send *s;
	struct mboxio_recvmsg *v;
	uint8_t msg[64] = "hello";
	char *nm;
	unsigned long kp = 0xffffffff81000000UL, nc = 0x8000000000000000UL;
	unsigned int i;
	int fd, ret;

	fd = mbox_create(dev, NULL, MBOX_FD_RDWR, 0600, 8, 64);
	EXPECT(fd >= 0, "create: %d", fd);
	for (i = 0; i < 3; i++)
		EXPECT(mbox_send(fd, msg, 5 + i, 0, 0) == 0, "send");

	/* Output structs in a read-only page: EFAULT, nothing written. */
	EXPECT(mbox_ioctl(dev, MBOXIO_INFO, ro_page) == -EFAULT, "INFO to ro");
	EXPECT(mbox_ioctl(fd, MBOXIO_STAT, ro_page + 8) == -EFAULT, "STAT to ro");
	EXPECT(ro_intact(), "the read-only page changed");
	/* Valid receive structs and a batch, but read-only: nothing taken. */
	{
		static uint8_t buf[64];
		uint8_t *p = mmap(NULL, pg, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *copy;

		EXPECT(p != MAP_FAILED, "mmap");
		r = (void *)p;
		*r = (struct mboxio_recv){ .buf = (uintptr_t)buf, .size = 64 };
		/* Apart, however large the receive struct grows. */
		v = (void *)(p + 256);
		v[0] = (struct mboxio_recvmsg){ .buf = (uintptr_t)buf, .size = 64 };
		*(struct mboxio_batch *)(p + 512) = (struct mboxio_batch){
			.vec = (uintptr_t)v, .count = 1 };
		copy = malloc(pg);
		EXPECT(copy, "malloc");
		memcpy(copy, p, pg);
		EXPECT(mprotect(p, pg, PROT_READ) == 0, "mprotect");
		ret = mbox_ioctl(fd, MBOXIO_RECV, r);
		EXPECT(ret == -EFAULT, "RECV with a read-only struct: %d", ret);
		ret = mbox_ioctl(fd, MBOXIO_RECVV, p + 512);
		EXPECT(ret == -EFAULT, "RECVV with a read-only vector: %d", ret);
		EXPECT(!memcmp(copy, p, pg), "read-only page changed");
		free(copy);
		munmap(p, pg);
	}

	/*
	 * RECV struct straddling RW -> RO: readable, not writable. Its in
	 * fields are in the RW page: ABI version 5's struct, which ends
	 * with out fields.
	 */
	r = (void *)(rw_ro + pg - 24);
	r->buf = (uintptr_t)msg;
	r->size = sizeof(msg);
	r->flags = 0;
	r->deadline_ns = 0;
	ret = mbox_ioctl(fd, _IOC(_IOC_READ | _IOC_WRITE, MBOX_IOCTL_TYPE,
				  0x11, 64), r);
	EXPECT(ret == -EFAULT, "RECV straddling into ro: %d", ret);
	/* RECV struct straddling RW -> PROT_NONE. */
	r = (void *)(rw_none + pg - 24);	/* only its in fields are mapped */
	r->buf = (uintptr_t)msg;
	r->size = 64;
	r->flags = 0;
	r->deadline_ns = 0;
	ret = mbox_ioctl(fd, MBOXIO_RECV, r);
	EXPECT(ret == -EFAULT, "RECV straddling into none: %d", ret);
	/* Payload buffer read-only, or straddling into PROT_NONE. */
	ret = mbox_recv(fd, ro_page, 64, 0, 0, NULL);
	EXPECT(ret == -EFAULT, "RECV into ro buffer: %d", ret);
	ret = mbox_recv(fd, rw_none + pg - 3, 64, 0, 0, NULL);
	EXPECT(ret == -EFAULT, "RECV into straddling buffer: %d", ret);
	EXPECT(ro_intact(), "the read-only page changed");
	EXPECT(mbox_stat(fd, &st) == 0 && st.queued == 3 && st.received == 0,
	       "faulting receives took messages (queued %u received %llu)",
	       st.queued, (unsigned long long)st.received);

	/* RECVV: element 1 straddles into the read-only page: stop after 0. */
	/* Element 1's seq (its last 8 bytes) lies in the read-only page. */
	v = (void *)(rw_ro + pg - 40 - 32);
	memset(v, 0, 40 + 32);
	v[0].buf = (uintptr_t)msg;
	v[0].size = 64;
	ret = mbox_recvv(fd, v, 2, 0, 0);
	EXPECT(ret == 1 && v[0].len == 5 && v[0].seq == 1,
	       "RECVV with element 1 unwritable: %d (len %u)", ret, v[0].len);
	EXPECT(mbox_stat(fd, &st) == 0 && st.queued == 2 && st.received == 1,
	       "RECVV took %llu", (unsigned long long)st.received);

	/* SEND struct straddling into PROT_NONE; payload straddling. */
	s = (void *)(rw_none + pg - 16);
	memset(s, 0, 16);
	ret = mbox_ioctl(fd, MBOXIO_SEND, s);
	EXPECT(ret == -EFAULT, "SEND struct straddling: %d", ret);
	ret = mbox_send(fd, rw_none + pg - 10, 20, 0, 0);
	EXPECT(ret == -EFAULT, "SEND payload straddling: %d", ret);
	EXPECT(mbox_stat(fd, &st) == 0 && st.sent == 3 && st.queued == 2,
	       "a faulting send sent (sent %llu)", (unsigned long long)st.sent);

	/* Kernel and non-canonical pointers for every command. */
	for (i = 0; i < 4; i++) {
		EXPECT(mbox_ioctl(dev, valid_dev[i], (void *)kp) == -EFAULT,
		       "dev ioctl %#lx with a kernel pointer", valid_dev[i]);
		EXPECT(mbox_ioctl(dev, valid_dev[i], (void *)nc) == -EFAULT,
		       "dev ioctl %#lx with a non-canonical pointer", valid_dev[i]);
	}
	for (i = 0; i < 6; i++) {
		if (valid_box[i] == MBOXIO_SHUTDOWN)
			continue;
		EXPECT(mbox_ioctl(fd, valid_box[i], (void *)kp) == -EFAULT,
		       "ioctl %#lx with a kernel pointer", valid_box[i]);
		EXPECT(mbox_ioctl(fd, valid_box[i], (void *)nc) == -EFAULT,
		       "ioctl %#lx with a non-canonical pointer", valid_box[i]);
	}
	ret = mbox_send(fd, (void *)kp, 8, 0, 0);
	EXPECT(ret == -EFAULT, "send from a kernel address: %d", ret);
	ret = mbox_recv(fd, (void *)kp, 64, 0, 0, NULL);
	EXPECT(ret == -EFAULT, "receive to a kernel address: %d", ret);

	/* A name running into PROT_NONE without its NUL; one just fitting. */
	nm = (char *)rw_none + pg - 4;
	memcpy(nm, "abcd", 4);
	ret = mbox_create(dev, nm, MBOX_FD_RDWR, 0600, 1, 8);
	EXPECT(ret == -EFAULT, "name into PROT_NONE: %d", ret);
	memcpy(nm, "fz9", 4);
	ret = mbox_open(dev, nm, MBOX_FD_RDWR);
	EXPECT(ret == -ENOENT, "name ending at the page end: %d", ret);
	EXPECT(mbox_stat(fd, &st) == 0 && st.queued == 2 && st.received == 1 &&
	       st.sent == 3, "state changed");
	close(fd);
}

int main(int argc, char **argv)
{
	double secs = mbox_run_seconds(argc, argv, "MBOX_FUZZ_SECONDS", 3);
	int dev;

	ksft_print_header();
	dev = mbox_dev_open();
	if (dev < 0)
		ksft_exit_skip(MBOX_DEV " not available (module not loaded?)\n");
	if (geteuid() != 0)
		ksft_exit_skip("needs root (module parameters, setuid)\n");
	ksft_set_plan(2);
	pg = sysconf(_SC_PAGESIZE);
	cnt = mmap(NULL, sizeof(*cnt), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ro_page = mmap(NULL, pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	rw_none = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	rw_ro = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (cnt == MAP_FAILED || ro_page == MAP_FAILED ||
	    rw_none == MAP_FAILED || rw_ro == MAP_FAILED)
		ksft_exit_fail_msg("mmap\n");
	memset(ro_page, 0x5a, pg);
	memset(rw_ro + pg, 0x5a, pg);
	if (mprotect(ro_page, pg, PROT_READ) ||
	    mprotect(rw_none + pg, pg, PROT_NONE) ||
	    mprotect(rw_ro + pg, pg, PROT_READ))
		ksft_exit_fail_msg("mprotect\n");

	bad_memory_checks(dev);
	if (cnt->failed)
		ksft_test_result_fail("bad_memory: %s\n", cnt->why);
	else
		ksft_test_result_pass("bad_memory\n");
	cnt->failed = 0;

	test_fuzz(dev, secs);
	close(dev);
	ksft_finished();
}
