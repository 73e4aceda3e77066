// SPDX-License-Identifier: GPL-2.0
/*
 * A private SysV message queue. Its byte limit is set to BENCH_DEPTH
 * messages (msgctl IPC_SET, which root may raise past msgmnb); messages above
 * /proc/sys/kernel/msgmax (8192 by default) need that raised (the guest
 * script does), else the cell is n/a. The long mtype goes in the headroom
 * the harness leaves before every buffer, so nothing is copied.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/ipc.h>
#include <sys/msg.h>

#include "bench.h"

/* Refuse sizes above msgmax up front: msgsnd() would fail with EINVAL. */
static int msgmax_ok(size_t size)
{
	FILE *f = fopen("/proc/sys/kernel/msgmax", "r");
	unsigned long max = 0;
	int ok;

	if (!f)
		return 1;	/* let msgsnd() decide */
	ok = fscanf(f, "%lu", &max) != 1 || size <= max;
	fclose(f);
	return ok;
}

static int sysv_open(struct chan *ch)
{
	struct msqid_ds ds;

	if (!msgmax_ok(ch->msg_size)) {
		errno = EMSGSIZE;	/* "message too long": above kernel.msgmax */
		return -1;
	}
	ch->id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (ch->id < 0)
		return -1;
	if (msgctl(ch->id, IPC_STAT, &ds) == 0) {
		ds.msg_qbytes = BENCH_DEPTH * ch->msg_size;
		msgctl(ch->id, IPC_SET, &ds);	/* else the default stays */
	}
	return 0;
}

static void sysv_close(struct chan *ch)
{
	msgctl(ch->id, IPC_RMID, NULL);
}

static int sysv_send(struct chan *ch, struct bmsg *v, unsigned int n)
{
	long *mtype = (long *)((char *)v->buf - sizeof(long));

	(void)n;
	*mtype = 1;
	return msgsnd(ch->id, mtype, v->len, 0) ? -1 : 1;
}

static int sysv_recv(struct chan *ch, struct bmsg *v, unsigned int n)
{
	long *mtype = (long *)((char *)v->buf - sizeof(long));
	ssize_t len = msgrcv(ch->id, mtype, ch->msg_size, 0, 0);

	(void)n;
	if (len < 0)
		return -1;
	v->len = (size_t)len;
	return 1;
}

const struct mech mech_sysv_msg = {
	.name = "sysv-msg", .batch = 1,
	.open = sysv_open, .close = sysv_close,
	.send = sysv_send, .recv = sysv_recv,
};
