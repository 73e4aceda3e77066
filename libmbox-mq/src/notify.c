// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mq_notify(): the module keeps the registration (MBOXIO_NOTIFY) and
 * delivers SIGEV_SIGNAL itself. SIGEV_THREAD needs a thread to run the
 * function in: one is started per registration, with the caller's
 * attributes and every signal blocked, and sleeps in MBOXIO_NOTIFY_WAIT
 * until the registration is used up (it then runs the function, once) or
 * removed (it ends). It exists only while the registration does.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct mq_notify_thread {
	mqd_t mqdes;
	__u64 token;
	void (*fn)(union sigval);
	union sigval value;
};

static void *mq_notify_thread_fn(void *p)
{
	struct mq_notify_thread t = *(struct mq_notify_thread *)p;
	struct mboxio_notify n = { .token = t.token };
	int ret;

	free(p);
	do
		ret = __mq_ioctl(t.mqdes, MBOXIO_NOTIFY_WAIT, &n);
	while (ret < 0 && errno == EINTR);
	if (ret == 0)
		t.fn(t.value);
	return NULL;
}

static int mq_notify_start_thread(mqd_t mqdes, const struct sigevent *sev,
				  __u64 token)
{
	struct mq_notify_thread *t = malloc(sizeof(*t));
	sigset_t all, old;
	pthread_t th;
	int err;

	if (!t)
		return ENOMEM;
	t->mqdes = mqdes;
	t->token = token;
	t->fn = sev->sigev_notify_function;
	t->value = sev->sigev_value;
	/* The thread must not take the program's signals: block them all. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&th, sev->sigev_notify_attributes,
			     mq_notify_thread_fn, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		free(t);
		return err;
	}
	/* Already detached by the caller's attributes: EINVAL, harmless. */
	pthread_detach(th);
	return 0;
}

MQ_EXPORT
int mq_notify(mqd_t mqdes, const struct sigevent *sevp)
{
	struct mboxio_notify n = { .how = MBOX_NOTIFY_REMOVE };
	struct sigevent sev;
	int err;

	if (sevp) {
		if (__mq_read_user(&sev, sevp, sizeof(sev)))
			return -1;
		switch (sev.sigev_notify) {
		case SIGEV_NONE:
			n.how = MBOX_NOTIFY_NONE;
			break;
		case SIGEV_SIGNAL:
			n.how = MBOX_NOTIFY_SIGNAL;
			n.signo = (__u32)sev.sigev_signo;
			n.value = (uintptr_t)sev.sigev_value.sival_ptr;
			if (sev.sigev_signo < 0 || sev.sigev_signo > SIGRTMAX) {
				errno = EINVAL;
				return -1;
			}
			break;
		case SIGEV_THREAD:
			n.how = MBOX_NOTIFY_THREAD;
			break;
		default:
			errno = EINVAL;
			return -1;
		}
	}
	if (__mq_ioctl(mqdes, MBOXIO_NOTIFY, &n))
		return -1;
	if (n.how != MBOX_NOTIFY_THREAD)
		return 0;
	err = mq_notify_start_thread(mqdes, &sev, n.token);
	if (err) {
		struct mboxio_notify rm = { .how = MBOX_NOTIFY_REMOVE };

		__mq_ioctl(mqdes, MBOXIO_NOTIFY, &rm);
		errno = err == ENOMEM ? ENOMEM : EAGAIN;
		return -1;
	}
	return 0;
}
