/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private to libmbox: never installed, never included by libmbox.h.
 * Only the library's .c files see the kernel ABI (<linux/mbox.h>).
 */
#ifndef LIBMBOX_INTERNAL_H
#define LIBMBOX_INTERNAL_H

#include <stdint.h>
#include <linux/mbox.h>

#include "libmbox.h"

/* Everything is hidden (-fvisibility=hidden) unless marked; libmbox.map
 * then gives each export its version node. */
#define LIBMBOX_EXPORT	__attribute__((visibility("default")))

#define MBOX_DEV_PATH	"/dev/mbox"

/* flags.c */
int __mbox_fd_flags(int flags, __u32 *fd_flags);
int __mbox_wait_flags(int64_t timeout_ns, __u32 *msg_flags,
		      __u64 *deadline_ns);

/* A C pointer as the kernel ABI carries it. */
static inline __u64 __mbox_ptr(const void *p)
{
	return (__u64)(uintptr_t)p;
}

#endif /* LIBMBOX_INTERNAL_H */
