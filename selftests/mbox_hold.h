/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Holding a receiver inside its copy-out, to force an interleaving.
 *
 * A struct mbox_hold is an anonymous mapping registered with userfaultfd
 * for missing pages. A receive into it claims a message and then blocks in
 * the kernel's copy_to_user() until the test lets the copy go on:
 *
 *   hold_setup()    map and register (needs userfaultfd: root in the VM)
 *   hold_wait()     wait until a copy-out is stuck on the mapping, i.e.
 *                   the receiver has claimed its message and is copying
 *   hold_release()  let the copy succeed (a zero page is mapped in)
 *   hold_fail()     make the copy fault: the mapping goes away and the
 *                   stuck copy retries into nothing (EFAULT)
 *   hold_cleanup()  whatever is left
 *
 * With a receive parked between its claim and its finish, a test can run
 * any other operation against that exact state instead of hoping a
 * scheduler produces it.
 */
#ifndef __MBOX_HOLD_H
#define __MBOX_HOLD_H

#include <poll.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <linux/userfaultfd.h>

#include "mbox_helpers.h"

struct mbox_hold {
	void *addr;
	size_t len;
	int uffd;
};

/* 0, or -errno (-ENOSYS, -EPERM: no userfaultfd for us; the test skips). */
static inline int hold_setup(struct mbox_hold *h, size_t len)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { 0 };
	long pg = sysconf(_SC_PAGESIZE);
	int err;

	h->len = (len + pg - 1) / pg * pg;
	h->uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (h->uffd < 0)
		return -errno;
	if (ioctl(h->uffd, UFFDIO_API, &api))
		goto out_err;
	h->addr = mmap(NULL, h->len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (h->addr == MAP_FAILED)
		goto out_err;
	reg.range.start = (uintptr_t)h->addr;
	reg.range.len = h->len;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(h->uffd, UFFDIO_REGISTER, &reg)) {
		err = -errno;
		munmap(h->addr, h->len);
		h->addr = NULL;
		close(h->uffd);
		h->uffd = -1;
		return err;
	}
	return 0;
out_err:
	err = -errno;
	close(h->uffd);
	h->uffd = -1;
	h->addr = NULL;
	return err;
}

/*
 * Wait up to @ms for a fault on the mapping. 0 once a copy is stuck on it,
 * -ETIMEDOUT if none came.
 */
static inline int hold_wait(struct mbox_hold *h, int ms)
{
	struct pollfd pfd = { .fd = h->uffd, .events = POLLIN };
	struct uffd_msg msg;

	for (;;) {
		int n = poll(&pfd, 1, ms);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -ETIMEDOUT;
		if (read(h->uffd, &msg, sizeof(msg)) != sizeof(msg))
			return -EIO;
		if (msg.event == UFFD_EVENT_PAGEFAULT)
			return 0;
	}
}

/* Let every stuck copy succeed: map zero pages under the whole range. */
static inline int hold_release(struct mbox_hold *h)
{
	struct uffdio_zeropage zp = {
		.range = { .start = (uintptr_t)h->addr, .len = h->len },
	};

	if (ioctl(h->uffd, UFFDIO_ZEROPAGE, &zp) && errno != EEXIST)
		return -errno;
	return 0;
}

/*
 * Make every stuck copy fault: unmap the range, then close the
 * userfaultfd, which wakes the stuck copy to retry into no mapping.
 */
static inline int hold_fail(struct mbox_hold *h)
{
	int err = 0;

	if (h->addr && munmap(h->addr, h->len))
		err = -errno;
	h->addr = NULL;
	if (h->uffd >= 0)
		close(h->uffd);
	h->uffd = -1;
	return err;
}

static inline void hold_cleanup(struct mbox_hold *h)
{
	if (h->uffd >= 0)
		close(h->uffd);
	h->uffd = -1;
	if (h->addr)
		munmap(h->addr, h->len);
	h->addr = NULL;
}

/* A receive (MBOXIO_RECV) run on a thread of its own. */
struct mbox_bg_recv {
	pthread_t thread;
	int fd;
	void *buf;
	uint32_t size;
	uint32_t flags;
	uint64_t deadline_ns;
	struct mboxio_recv out;
	volatile int ret;
	volatile int done;
};

static void *mbox_bg_recv_fn(void *p)
{
	struct mbox_bg_recv *r = p;

	r->ret = mbox_recv(r->fd, r->buf, r->size, r->flags, r->deadline_ns,
			   &r->out);
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static inline int bg_recv_start(struct mbox_bg_recv *r, int fd, void *buf,
				uint32_t size)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->buf = buf;
	r->size = size;
	r->ret = -1;
	return pthread_create(&r->thread, NULL, mbox_bg_recv_fn, r);
}

/* A send (MBOXIO_SEND) run on a thread of its own. */
struct mbox_bg_send {
	pthread_t thread;
	int fd;
	const void *buf;
	uint32_t len;
	uint32_t flags;
	uint64_t deadline_ns;
	volatile int ret;
	volatile int done;
};

static void *mbox_bg_send_fn(void *p)
{
	struct mbox_bg_send *s = p;

	s->ret = mbox_send(s->fd, s->buf, s->len, s->flags, s->deadline_ns);
	__atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static inline int bg_send_start(struct mbox_bg_send *s, int fd,
				const void *buf, uint32_t len, uint32_t flags,
				uint64_t deadline_ns)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->buf = buf;
	s->len = len;
	s->flags = flags;
	s->deadline_ns = deadline_ns;
	s->ret = -1;
	return pthread_create(&s->thread, NULL, mbox_bg_send_fn, s);
}

/* Wait up to @ms for *@done; 1 if it was set, 0 if not. */
static inline int bg_wait_done(volatile int *done, int ms)
{
	uint64_t end = now_ns() + MS(ms);

	while (!__atomic_load_n(done, __ATOMIC_ACQUIRE)) {
		if (now_ns() > end)
			return 0;
		usleep(1000);
	}
	return 1;
}

#endif /* __MBOX_HOLD_H */
