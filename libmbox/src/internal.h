/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private to libmbox: never installed, never included by libmbox.h.
 * Only the library's .c files see the kernel ABI (<linux/mbox.h>).
 */
#ifndef LIBMBOX_INTERNAL_H
#define LIBMBOX_INTERNAL_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/mbox.h>

#include "libmbox.h"

/*
 * The library's own definitions of the plain names: undo libmbox.h's
 * macros so that the exported functions can have those names.
 */
#undef mbox_create
#undef mbox_recv
#undef mbox_tryrecv
#undef mbox_timedrecv
#undef mbox_stat
#undef mbox_get_info
#undef mbox_get_usage
#undef mbox_sendv
#undef mbox_sendv_prio
#undef mbox_recvv
#undef mbox_call
#undef mbox_timedcall
#undef mbox_reply_recv
#undef mbox_recv_lease
#undef mbox_tryrecv_lease
#undef mbox_timedrecv_lease
#undef mbox_timedrecv_claim

/* Everything is hidden (-fvisibility=hidden) unless marked; libmbox.map
 * then gives each export its version node. */
#define LIBMBOX_EXPORT	__attribute__((visibility("default")))

#define MBOX_DEV_PATH	"/dev/mbox"

/* msg.c */
ssize_t __mbox_recv(int mb, void *buf, size_t size, struct mbox_msginfo *info,
		    size_t info_size, int64_t timeout_ns, uint64_t reply_to,
		    const void *reply, __u32 reply_len, const int64_t *lease_ns,
		    void *claim, size_t claim_size);

/* lease.c */
__u64 __mbox_lease_ns(int64_t lease_ns);

/* flags.c */
int __mbox_fd_flags(int flags, __u32 *fd_flags);
int __mbox_wait_flags(int64_t timeout_ns, __u32 *msg_flags,
		      __u64 *deadline_ns);

/*
 * The public structs as the version that introduced them laid them out:
 * the least size a _sized call accepts, and the size the plain-named
 * functions (called by programs built before the _sized forms) pass. Frozen:
 * a struct grows in libmbox.h only, and these stay as they are.
 */
struct mbox_attr_v1_0 {
	unsigned int capacity;
	unsigned int msg_size;
	mode_t mode;
};

struct mbox_msginfo_v1_0 {
	pid_t pid;
	uid_t uid;
	gid_t gid;
	uint64_t seq;
	size_t len;
};

/* 1.2 added reply_id. */
struct mbox_msginfo_v1_2 {
	pid_t pid;
	uid_t uid;
	gid_t gid;
	uint64_t seq;
	size_t len;
	uint64_t reply_id;
};

/* 1.3 added prio. */
struct mbox_msginfo_v1_3 {
	pid_t pid;
	uid_t uid;
	gid_t gid;
	uint64_t seq;
	size_t len;
	uint64_t reply_id;
	unsigned int prio;
};

/* 1.4 added lease_id, deliveries, msg_id and claim_len. */
struct mbox_msginfo_v1_4 {
	pid_t pid;
	uid_t uid;
	gid_t gid;
	uint64_t seq;
	size_t len;
	uint64_t reply_id;
	unsigned int prio;
	uint64_t lease_id;
	unsigned int deliveries;
	uint64_t msg_id;
	size_t claim_len;
};

/* The least struct mbox_msginfo a receive on lease fills: one with lease_id. */
#define MBOX_MSGINFO_LEASE_MIN \
	(offsetof(struct mbox_msginfo_v1_4, lease_id) + sizeof(uint64_t))

struct mbox_stat_v1_0 {
	unsigned int capacity;
	unsigned int msg_size;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	int shutdown;
	int unlinked;
	unsigned int queued;
	unsigned int waiting_senders;
	unsigned int waiting_receivers;
	uint64_t queued_bytes;
	uint64_t sent;
	uint64_t received;
};

struct mbox_info_v1_0 {
	unsigned int version;
	unsigned int name_max;
	unsigned int max_mailboxes;
	unsigned int max_capacity;
	unsigned int max_msg_size;
	unsigned int nr_mailboxes;
};

struct mbox_usage_v1_1 {
	unsigned int max_mailboxes;
	unsigned int mailboxes;
	uint64_t max_bytes;
	uint64_t bytes;
	int unlimited;
};

struct mbox_msgvec_v1_0 {
	void *buf;
	size_t len;
	struct mbox_msginfo_v1_0 info;
};

struct mbox_msgvec_v1_3 {
	void *buf;
	size_t len;
	struct mbox_msginfo_v1_3 info;
};

/* A grown struct keeps its old fields where they were. */
#define MBOX_SAME_PREFIX(now, old, last)				\
	_Static_assert(offsetof(struct now, last) ==			\
		       offsetof(struct old, last) &&			\
		       sizeof(struct now) >= sizeof(struct old),		\
		       #now " grew other than at its end")
MBOX_SAME_PREFIX(mbox_attr, mbox_attr_v1_0, mode);
MBOX_SAME_PREFIX(mbox_msginfo, mbox_msginfo_v1_0, len);
MBOX_SAME_PREFIX(mbox_msginfo, mbox_msginfo_v1_2, reply_id);
MBOX_SAME_PREFIX(mbox_msginfo, mbox_msginfo_v1_3, prio);
MBOX_SAME_PREFIX(mbox_msginfo, mbox_msginfo_v1_4, claim_len);
_Static_assert(MBOX_CLAIM_MAX == 256, "libmbox.h and <linux/mbox.h> agree");
MBOX_SAME_PREFIX(mbox_msgvec, mbox_msgvec_v1_3, info);
_Static_assert(MBOX_PRIO_MAX == 32768, "libmbox.h and <linux/mbox.h> agree");
MBOX_SAME_PREFIX(mbox_stat, mbox_stat_v1_0, received);
MBOX_SAME_PREFIX(mbox_info, mbox_info_v1_0, nr_mailboxes);
MBOX_SAME_PREFIX(mbox_usage, mbox_usage_v1_1, unlimited);
MBOX_SAME_PREFIX(mbox_msgvec, mbox_msgvec_v1_0, info);
_Static_assert(offsetof(struct mbox_msgvec, info) + sizeof(struct mbox_msginfo)
	       == sizeof(struct mbox_msgvec),
	       "struct mbox_msginfo must stay the last member of mbox_msgvec");

/*
 * A caller's struct of @size bytes, of which @min are its first version:
 * EINVAL below that.
 */
static inline int __mbox_check_size(size_t size, size_t min)
{
	if (size < min) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/*
 * A struct the call will fill: at least its first version (EINVAL) and
 * not NULL (EFAULT, as the kernel would say).
 */
static inline int __mbox_check_out(const void *out, size_t size, size_t min)
{
	if (__mbox_check_size(size, min))
		return -1;
	if (!out) {
		errno = EFAULT;
		return -1;
	}
	return 0;
}

/*
 * Fill a caller's struct of @size bytes from the library's @ours: the
 * fields both know, then zeroes for those only the caller knows.
 */
static inline void __mbox_copy_out(void *theirs, size_t size,
				   const void *ours, size_t ours_size)
{
	if (size <= ours_size) {
		memcpy(theirs, ours, size);
		return;
	}
	memcpy(theirs, ours, ours_size);
	memset((char *)theirs + ours_size, 0, size - ours_size);
}

/*
 * Read a caller's struct of @size bytes into the library's zeroed @ours:
 * E2BIG if it sets a field past what the library knows.
 */
static inline int __mbox_copy_in(void *ours, size_t ours_size,
				 const void *theirs, size_t size)
{
	const unsigned char *tail = (const unsigned char *)theirs + ours_size;
	size_t i;

	memset(ours, 0, ours_size);
	if (size <= ours_size) {
		memcpy(ours, theirs, size);
		return 0;
	}
	for (i = 0; i < size - ours_size; i++) {
		if (tail[i]) {
			errno = E2BIG;
			return -1;
		}
	}
	memcpy(ours, theirs, ours_size);
	return 0;
}

/* A C pointer as the kernel ABI carries it. */
static inline __u64 __mbox_ptr(const void *p)
{
	return (__u64)(uintptr_t)p;
}

#endif /* LIBMBOX_INTERNAL_H */
