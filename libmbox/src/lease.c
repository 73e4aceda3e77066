// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Settling messages received on lease (mbox_recv_lease() and friends,
 * msg.c): commit, release, extend.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"

/*
 * A lease's duration as the library takes it (negative: no deadline) to
 * the kernel's (0: no deadline). The caller has refused 0.
 */
__u64 __mbox_lease_ns(int64_t lease_ns)
{
	return lease_ns < 0 ? 0 : (__u64)lease_ns;
}

static int mbox_lease_op(int mb, uint64_t lease_id, __u32 op, __u64 lease_ns)
{
	struct mboxio_lease arg;

	memset(&arg, 0, sizeof(arg));
	arg.lease_id = lease_id;
	arg.op = op;
	arg.lease_ns = lease_ns;
	return ioctl(mb, MBOXIO_LEASE, &arg) < 0 ? -1 : 0;
}

LIBMBOX_EXPORT
int mbox_lease_commit(int mb, uint64_t lease_id)
{
	return mbox_lease_op(mb, lease_id, MBOX_LEASE_COMMIT, 0);
}

LIBMBOX_EXPORT
int mbox_lease_release(int mb, uint64_t lease_id)
{
	return mbox_lease_op(mb, lease_id, MBOX_LEASE_RELEASE, 0);
}

LIBMBOX_EXPORT
int mbox_lease_extend(int mb, uint64_t lease_id, int64_t lease_ns)
{
	if (lease_ns == 0) {
		errno = EINVAL;
		return -1;
	}
	return mbox_lease_op(mb, lease_id, MBOX_LEASE_EXTEND,
			     __mbox_lease_ns(lease_ns));
}
