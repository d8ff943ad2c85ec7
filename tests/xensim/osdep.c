/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xensim: dom0's xenstore page and event channel.
 *
 * On Linux, xenstored finds dom0's ring and store port in /proc/xen/xsd_kva
 * and /proc/xen/xsd_port (xenstored_osdep.h hard-codes them).  The xensim
 * build compiles xenstored_posix.c with -Dopen=xensim_osdep_open, so its
 * open() calls land here: those two paths are redirected to dom0's ring
 * file and store-port file in the simulated host, everything else (pid
 * file, /dev/null) is passed through untouched.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/resource.h>

#include "hv.h"

int xensim_osdep_open(const char *path, int flags, ...);

int xensim_osdep_open(const char *path, int flags, ...)
{
	struct hv_host h;
	char p[PATH_MAX];
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}

	if (!strcmp(path, "/proc/xen/xsd_kva") ||
	    !strcmp(path, "/proc/xen/xsd_port")) {
		if (hv_host_from_env(&h)) {
			errno = ENOENT;
			return -1;
		}
		if (hv_path(&h, p, "dom/0/%s",
			    path[14] == 'k' ? "ring" : "store-port"))
			return -1;
		return open(p, flags | O_CLOEXEC);
	}
	return open(path, flags, mode);
}

/*
 * oxenstored raises its descriptor limit to fs.nr_open at start and fails
 * if it cannot; a test host runs unprivileged, so the xensim build compiles
 * its select_stubs.c with -Dsetrlimit=xensim_osdep_setrlimit: a limit above
 * the hard one becomes the hard one.
 */
int xensim_osdep_setrlimit(int resource, const struct rlimit *rl);

int xensim_osdep_setrlimit(int resource, const struct rlimit *rl)
{
	struct rlimit cur, want = *rl;

	if (getrlimit(resource, &cur))
		return -1;
	if (want.rlim_max > cur.rlim_max)
		want.rlim_max = cur.rlim_max;
	if (want.rlim_cur > want.rlim_max)
		want.rlim_cur = want.rlim_max;
	return setrlimit(resource, &want);
}
