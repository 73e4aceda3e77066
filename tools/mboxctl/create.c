// SPDX-License-Identifier: GPL-2.0
/* mboxctl: mboxctl create: make a named mailbox. */
#include "mboxctl.h"

static void help_create(void)
{
	printf("Usage: %s create NAME [--capacity N] [--msg-size BYTES] [--mode MODE]\n"
	       "Create a named mailbox.\n"
	       "  -c, --capacity N       messages that may queue; 0 makes a rendezvous\n"
	       "                         mailbox (default %u)\n"
	       "  -s, --msg-size BYTES   largest message (default %u)\n"
	       "  -m, --mode MODE        octal permission bits, taken as given, not\n"
	       "                         masked by the umask (default %04o & ~umask)\n",
	       prog, MBOX_DEFAULT_CAPACITY, MBOX_DEFAULT_MSG_SIZE, MBOX_DEFAULT_MODE);
}

int cmd_create(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "capacity", required_argument, NULL, 'c' },
		{ "msg-size", required_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mbox_attr attr = {
		.capacity = MBOX_DEFAULT_CAPACITY,
		.msg_size = MBOX_DEFAULT_MSG_SIZE,
		.mode = MBOX_DEFAULT_MODE,
	};
	bool mode_set = false;
	const char *name;
	int c, mb;

	while ((c = next_opt(argc, argv, ":c:s:m:h", longs, help_create)) != -1) {
		switch (c) {
		case 'c':
			attr.capacity = parse_ulong("--capacity", optarg, 10, UINT_MAX);
			break;
		case 's':
			attr.msg_size = parse_ulong("--msg-size", optarg, 10, UINT_MAX);
			break;
		case 'm':
			attr.mode = parse_ulong("--mode", optarg, 8, 0777);
			mode_set = true;
			break;
		}
	}
	name = argv[optind++];
	check_name(argv[0], name);
	no_more_args(argv[0], argc, argv);

	/* Like mkdir -m: an explicit mode is the mode. */
	if (mode_set)
		umask(0);
	mb = mbox_create(name, &attr, O_RDONLY | O_CLOEXEC);
	if (mb < 0)
		return fail(errno, "create '%s'", name);
	mbox_close(mb);
	return EXIT_OK;
}
