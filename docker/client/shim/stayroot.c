/*
 * tcpdump-stayroot: LD_PRELOAD shim for the lab client.
 *
 * Debian's tcpdump always "drops privileges" after opening the capture
 * device: initgroups() + setgid() + setuid() to the user given with -Z
 * (default "tcpdump"). initgroups() needs CAP_SETGID even when nothing
 * changes, and the lab client only has CAP_NET_RAW, so tcpdump aborts with
 * "Couldn't change to 'root' uid=0 gid=0: Operation not permitted".
 *
 * With "-Z root" the id change is a no-op; this shim makes the no-op
 * initgroups() succeed. setgid(0)/setuid(0) already succeed unprivileged
 * because the real ids are 0. Nothing else is changed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <grp.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

int initgroups(const char *user, gid_t group)
{
	static int (*real_initgroups)(const char *, gid_t);
	int saved, rc;

	if (!real_initgroups)
		real_initgroups = (int (*)(const char *, gid_t))dlsym(RTLD_NEXT, "initgroups");
	rc = real_initgroups ? real_initgroups(user, group) : -1;
	if (rc != 0) {
		saved = errno;
		if (saved == EPERM && getuid() == 0 && group == getgid() &&
		    user && strcmp(user, "root") == 0)
			return 0;
		errno = saved;
	}
	return rc;
}
