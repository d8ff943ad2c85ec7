/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xensim: simulated hypervisor state shared by all processes of a host.
 * See hv.h for the layout.  Functions return -1 and set errno on error,
 * like the libraries they stand in for.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hv.h"

int hv_host_init(struct hv_host *h, const char *dir)
{
	if (!dir || dir[0] != '/' || strlen(dir) >= sizeof(h->dir)) {
		errno = EINVAL;
		return -1;
	}
	strcpy(h->dir, dir);
	return 0;
}

int hv_host_from_env(struct hv_host *h)
{
	return hv_host_init(h, getenv("XENSIM_HOST"));
}

int hv_path(const struct hv_host *h, char *buf, const char *fmt, ...)
{
	va_list ap;
	int n, m;

	n = snprintf(buf, PATH_MAX, "%s/hv/", h->dir);
	va_start(ap, fmt);
	m = vsnprintf(buf + n, PATH_MAX - n, fmt, ap);
	va_end(ap);
	if (m < 0 || n + m >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int hv_lock(const struct hv_host *h)
{
	char p[PATH_MAX];
	int fd;

	if (hv_path(h, p, "lock"))
		return -1;
	fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	/* Held for a few file operations only, so blocking is bounded. */
	if (flock(fd, LOCK_EX)) {
		close(fd);
		return -1;
	}
	return fd;
}

void hv_unlock(int fd)
{
	int saved = errno;

	close(fd);		/* drops the flock */
	errno = saved;
}

int hv_read_line(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

/* Replace a small state file atomically: readers never see it half done. */
int hv_write_file(const char *path, const void *data, size_t len)
{
	char tmp[PATH_MAX + 8];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.new", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		unlink(tmp);
		errno = EIO;
		return -1;
	}
	close(fd);
	return rename(tmp, path);
}

int hv_dom_create(const struct hv_host *h, unsigned int domid)
{
	struct hv_dominfo info = { .domid = domid };
	char p[PATH_MAX];
	int fd;

	if (domid >= HV_MAX_DOMID) {
		errno = EINVAL;
		return -1;
	}
	if (hv_path(h, p, "dom/%u", domid) || mkdir(p, 0700))
		return -1;
	if (hv_path(h, p, "dom/%u/port", domid) || mkdir(p, 0700))
		return -1;
	/* A fresh, zeroed page, as the domain builder hands it out. */
	if (hv_path(h, p, "dom/%u/ring", domid))
		return -1;
	fd = open(p, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, HV_PAGE_SIZE)) {
		close(fd);
		return -1;
	}
	close(fd);
	return hv_dom_set_info(h, &info);
}

int hv_dom_info(const struct hv_host *h, unsigned int domid,
		struct hv_dominfo *info)
{
	char p[PATH_MAX], buf[128];
	unsigned int dying, shutdown;

	if (hv_path(h, p, "dom/%u/info", domid) || hv_read_line(p, buf, sizeof(buf)))
		return -1;
	memset(info, 0, sizeof(*info));
	info->domid = domid;
	if (sscanf(buf, "dying %u shutdown %u reason %u", &dying, &shutdown,
		   &info->reason) != 3) {
		errno = EIO;
		return -1;
	}
	info->dying = dying;
	info->shutdown = shutdown;
	return 0;
}

int hv_dom_set_info(const struct hv_host *h, const struct hv_dominfo *info)
{
	char p[PATH_MAX], buf[128];
	int n;

	n = snprintf(buf, sizeof(buf), "dying %u shutdown %u reason %u\n",
		     info->dying, info->shutdown, info->reason);
	if (hv_path(h, p, "dom/%u/info", info->domid))
		return -1;
	return hv_write_file(p, buf, n);
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

/* Domain ids >= first, sorted, at most max of them: what getdomaininfo
 * iterates over.  Returns the count. */
int hv_dom_list(const struct hv_host *h, unsigned int first,
		unsigned int *ids, unsigned int max)
{
	unsigned int all[512], n = 0, i;
	char p[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (hv_path(h, p, "dom") || !(d = opendir(p)))
		return -1;
	while ((de = readdir(d)) && n < sizeof(all) / sizeof(all[0])) {
		char *end;
		unsigned long id = strtoul(de->d_name, &end, 10);

		if (de->d_name[0] >= '0' && de->d_name[0] <= '9' && !*end &&
		    id >= first)
			all[n++] = id;
	}
	closedir(d);
	qsort(all, n, sizeof(all[0]), cmp_uint);
	for (i = 0; i < n && i < max; i++)
		ids[i] = all[i];
	return i;
}

static int rm_tree(const char *path)
{
	struct dirent *de;
	DIR *d = opendir(path);
	char p[PATH_MAX];

	if (!d)
		return unlink(path);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", path, de->d_name);
		rm_tree(p);
	}
	closedir(d);
	return rmdir(path);
}

int hv_dom_reap(const struct hv_host *h, unsigned int domid)
{
	char p[PATH_MAX];

	if (hv_path(h, p, "dom/%u", domid))
		return -1;
	return rm_tree(p);
}

int hv_dom_read_uint(const struct hv_host *h, unsigned int domid,
		     const char *file, unsigned int *val)
{
	char p[PATH_MAX], buf[32];

	if (hv_path(h, p, "dom/%u/%s", domid, file) ||
	    hv_read_line(p, buf, sizeof(buf)))
		return -1;
	*val = strtoul(buf, NULL, 0);
	return 0;
}

int hv_dom_write_uint(const struct hv_host *h, unsigned int domid,
		      const char *file, unsigned int val)
{
	char p[PATH_MAX], buf[32];
	int n = snprintf(buf, sizeof(buf), "%u\n", val);

	if (hv_path(h, p, "dom/%u/%s", domid, file))
		return -1;
	return hv_write_file(p, buf, n);
}
