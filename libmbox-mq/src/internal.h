/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libmbox-mq internals: POSIX message queues (<mqueue.h>) over mbox.
 *
 * Every piece of state lives in the kernel object: an mqd_t is the mailbox
 * fd itself, its O_NONBLOCK is the file's, mq_maxmsg and mq_msgsize are the
 * mailbox's capacity and msg_size, priorities and notification are the
 * module's. The library keeps no table, no helper fd and no thread but the
 * one a SIGEV_THREAD registration asks for, so close(), dup() and fork()
 * behave as they do for a kernel message queue.
 */
#ifndef LIBMBOX_MQ_INTERNAL_H
#define LIBMBOX_MQ_INTERNAL_H

#include <limits.h>
#include <mqueue.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <linux/mbox.h>

#define MQ_EXPORT	__attribute__((visibility("default")))

#define MBOX_DEV_PATH	"/dev/mbox"

_Static_assert(MQ_PRIO_MAX == MBOX_PRIO_MAX, "mq and mbox priorities agree");

/* util.c */
int __mq_ioctl(mqd_t mqdes, unsigned long cmd, void *arg);
int __mq_dev_ioctl(unsigned long cmd, void *arg);
int __mq_read_user(void *dst, const void *user, size_t len);
int __mq_write_user(void *user, const void *src, size_t len);
int __mq_deadline(const struct timespec *abs_timeout, __u64 *deadline_ns);
int __mq_name(char *buf, const char *name);

#endif /* LIBMBOX_MQ_INTERNAL_H */
