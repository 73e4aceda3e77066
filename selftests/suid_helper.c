// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for any setuid-root program that writes to an fd it
 * inherited: mbox_trust_test installs it setuid root and runs it, as an
 * unprivileged user, with a mailbox fd as its stderr.
 *
 *   suid_helper TEXT          write(2) TEXT to fd 2
 *   suid_helper TEXT ioctl    send TEXT to fd 2 with MBOXIO_SEND
 *
 * Exits 0 if the write or send succeeded, 1 if it failed, 2 if it was not
 * running with euid 0 (the setuid bit did not take).
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include <linux/mbox.h>

int main(int argc, char **argv)
{
	struct mboxio_send s = { 0 };

	if (argc < 2)
		return 1;
	if (geteuid() != 0)
		return 2;
	if (argc > 2 && !strcmp(argv[2], "ioctl")) {
		s.buf = (uintptr_t)argv[1];
		s.len = strlen(argv[1]);
		return ioctl(2, MBOXIO_SEND, &s) ? 1 : 0;
	}
	return write(2, argv[1], strlen(argv[1])) == (ssize_t)strlen(argv[1]) ? 0 : 1;
}
