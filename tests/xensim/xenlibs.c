/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xensim: the libxenctrl, libxenevtchn and libxengnttab entry points that
 * xenstored uses (check with `nm -u` on its objects), implemented over the
 * simulated hypervisor of the host named by $XENSIM_HOST.  The calling
 * process acts as domain $XENSIM_DOMID (default 0: xenstored runs in dom0).
 *
 * Only the semantics xenstored relies on are provided; anything else fails
 * with EOPNOTSUPP-like errors rather than pretending to work.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xenevtchn.h>
#include <xengnttab.h>
#include <xen/grant_table.h>

#include "hv.h"

static unsigned int caller_domid(void)
{
	const char *s = getenv("XENSIM_DOMID");

	return s ? strtoul(s, NULL, 0) : 0;
}

/* ---- libxenctrl ---------------------------------------------------- */

struct xc_interface_core {
	struct hv_host host;
};

xc_interface *xc_interface_open(xentoollog_logger *logger,
				xentoollog_logger *dombuild_logger,
				unsigned open_flags)
{
	xc_interface *xch = calloc(1, sizeof(*xch));

	if (!xch)
		return NULL;
	if (hv_host_from_env(&xch->host)) {
		free(xch);
		errno = ENOENT;	/* no hypervisor: XENSIM_HOST is unset */
		return NULL;
	}
	return xch;
}

int xc_interface_close(xc_interface *xch)
{
	free(xch);
	return 0;
}

/* Like XEN_DOMCTL_getdomaininfo: domains from first_domid upwards. */
int xc_domain_getinfo(xc_interface *xch, uint32_t first_domid,
		      unsigned int max_doms, xc_dominfo_t *info)
{
	unsigned int ids[64], i, got = 0;
	struct hv_dominfo di;
	int n, lk;

	if (max_doms > 64)
		max_doms = 64;
	lk = hv_lock(&xch->host);
	if (lk < 0)
		return -1;
	n = hv_dom_list(&xch->host, first_domid, ids, max_doms);
	for (i = 0; n > 0 && i < (unsigned int)n; i++) {
		if (hv_dom_info(&xch->host, ids[i], &di))
			continue;
		memset(&info[got], 0, sizeof(info[got]));
		info[got].domid = di.domid;
		info[got].dying = di.dying;
		info[got].shutdown = di.shutdown;
		info[got].crashed = di.shutdown && di.reason == SHUTDOWN_crash;
		info[got].shutdown_reason = di.reason;
		info[got].running = !di.dying && !di.shutdown;
		info[got].nr_online_vcpus = 1;
		got++;
	}
	hv_unlock(lk);
	return n < 0 ? -1 : (int)got;
}

/* ---- libxenevtchn -------------------------------------------------- */

struct xenevtchn_handle {
	struct hv_host host;
	unsigned int domid;
	int fd;
	char rx[sizeof(((struct hv_port *)0)->rx)];
};

static xenevtchn_handle *evtchn_alloc(void)
{
	xenevtchn_handle *xce = calloc(1, sizeof(*xce));

	if (!xce)
		return NULL;
	if (hv_host_from_env(&xce->host)) {
		free(xce);
		errno = ENOENT;
		return NULL;
	}
	xce->domid = caller_domid();
	return xce;
}

xenevtchn_handle *xenevtchn_open(xentoollog_logger *logger,
				 unsigned int flags)
{
	xenevtchn_handle *xce = evtchn_alloc();

	if (!xce)
		return NULL;
	xce->fd = hv_rx_open(&xce->host, !(flags & XENEVTCHN_NO_CLOEXEC),
			     xce->rx, sizeof(xce->rx));
	if (xce->fd < 0) {
		free(xce);
		return NULL;
	}
	return xce;
}

/*
 * After a live update xenstored hands us the fd it inherited across exec().
 * The socket's own address names it in the port table, so every port bound
 * before the exec is still bound to it.
 */
xenevtchn_handle *xenevtchn_fdopen(xentoollog_logger *logger, int fd,
				   unsigned int flags)
{
	xenevtchn_handle *xce;

	if (flags) {
		errno = EINVAL;
		return NULL;
	}
	xce = evtchn_alloc();
	if (!xce)
		return NULL;
	if (hv_rx_path(fd, xce->rx, sizeof(xce->rx))) {
		free(xce);
		return NULL;
	}
	xce->fd = fd;
	return xce;
}

/* Closing the device unbinds every port bound through it. */
int xenevtchn_close(xenevtchn_handle *xce)
{
	struct hv_port pt;
	unsigned int port;
	int lk;

	if (!xce)
		return 0;
	lk = hv_lock(&xce->host);
	for (port = 1; lk >= 0 && port < HV_MAX_PORTS; port++)
		if (!hv_port_get(&xce->host, xce->domid, port, &pt) &&
		    !strcmp(pt.rx, xce->rx))
			hv_port_close(&xce->host, xce->domid, port);
	if (lk >= 0)
		hv_unlock(lk);
	close(xce->fd);
	unlink(xce->rx);
	free(xce);
	return 0;
}

int xenevtchn_fd(xenevtchn_handle *xce)
{
	return xce->fd;
}

int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
	int lk = hv_lock(&xce->host), rc;

	if (lk < 0)
		return -1;
	rc = hv_notify(&xce->host, xce->domid, port);
	hv_unlock(lk);
	return rc;
}

xenevtchn_port_or_error_t
xenevtchn_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
			   evtchn_port_t remote_port)
{
	struct hv_port remote, local = { .kind = HV_PORT_INTERDOMAIN };
	int lk = hv_lock(&xce->host), port = -1;

	if (lk < 0)
		return -1;
	if (hv_port_get(&xce->host, domid, remote_port, &remote))
		goto out;
	/* The remote end must be waiting for us (EVTCHNOP_alloc_unbound). */
	if (remote.kind != HV_PORT_UNBOUND || remote.remote_dom != xce->domid) {
		errno = EINVAL;
		goto out;
	}
	local.remote_dom = domid;
	local.remote_port = remote_port;
	strcpy(local.rx, xce->rx);
	port = hv_port_alloc(&xce->host, xce->domid, &local);
	if (port < 0)
		goto out;
	remote.kind = HV_PORT_INTERDOMAIN;
	remote.remote_dom = xce->domid;
	remote.remote_port = port;
	if (hv_port_put(&xce->host, domid, remote_port, &remote)) {
		hv_port_close(&xce->host, xce->domid, port);
		port = -1;
	}
 out:
	hv_unlock(lk);
	return port;
}

xenevtchn_port_or_error_t
xenevtchn_bind_virq(xenevtchn_handle *xce, unsigned int virq)
{
	struct hv_port pt = { .kind = HV_PORT_VIRQ, .virq = virq };
	int lk = hv_lock(&xce->host), port;

	if (lk < 0)
		return -1;
	strcpy(pt.rx, xce->rx);
	port = hv_port_alloc(&xce->host, xce->domid, &pt);
	hv_unlock(lk);
	return port;
}

int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
	int lk = hv_lock(&xce->host), rc;

	if (lk < 0)
		return -1;
	rc = hv_port_close(&xce->host, xce->domid, port);
	hv_unlock(lk);
	return rc;
}

xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce)
{
	return hv_rx_pending(xce->fd);
}

/* Events are not masked on delivery (each one is its own datagram). */
int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
	return 0;
}

/* ---- libxengnttab -------------------------------------------------- */

#define MAX_MAPS 64

struct xengntdev_handle {
	struct hv_host host;
	struct { void *addr; unsigned int domid; } map[MAX_MAPS];
};

xengnttab_handle *xengnttab_open(xentoollog_logger *logger,
				 unsigned int open_flags)
{
	xengnttab_handle *xgt = calloc(1, sizeof(*xgt));

	if (!xgt)
		return NULL;
	if (hv_host_from_env(&xgt->host)) {
		free(xgt);
		errno = ENOENT;
		return NULL;
	}
	return xgt;
}

int xengnttab_close(xengnttab_handle *xgt)
{
	unsigned int i;

	for (i = 0; xgt && i < MAX_MAPS; i++)
		if (xgt->map[i].addr)
			xengnttab_unmap(xgt, xgt->map[i].addr, 1);
	free(xgt);
	return 0;
}

int xengnttab_set_max_grants(xengnttab_handle *xgt, uint32_t nr_grants)
{
	return 0;
}

/* A test's way to make a mapping or a copy fail: dom/ID/refuse-map. */
static bool refuses_map(const struct hv_host *h, unsigned int domid)
{
	char p[PATH_MAX];

	return !hv_path(h, p, "dom/%u/refuse-map", domid) && !access(p, F_OK);
}

/* One more of what dom/ID/NAME counts (absent: none yet). */
static void count_one_more(const struct hv_host *h, unsigned int domid,
			   const char *name)
{
	unsigned int n;

	if (hv_dom_read_uint(h, domid, name, &n))
		n = 0;
	hv_dom_write_uint(h, domid, name, n + 1);
}

/*
 * Each domain grants exactly one page: its xenstore ring, at the reserved
 * entry the toolstack fills in.  A dying domain's grants cannot be mapped.
 */
void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid,
			      uint32_t ref, int prot)
{
	struct hv_dominfo info;
	unsigned int i;
	void *addr = NULL;
	int lk;

	if (ref != GNTTAB_RESERVED_XENSTORE) {
		errno = EINVAL;
		return NULL;
	}
	for (i = 0; i < MAX_MAPS && xgt->map[i].addr; i++)
		;
	if (i == MAX_MAPS) {
		errno = ENOSPC;
		return NULL;
	}
	lk = hv_lock(&xgt->host);
	if (lk < 0)
		return NULL;
	if (hv_dom_info(&xgt->host, domid, &info) || info.dying) {
		errno = ESRCH;
		goto out;
	}
	if (refuses_map(&xgt->host, domid)) {
		errno = EACCES;
		goto out;
	}
	addr = hv_ring_map(&xgt->host, domid);
	if (!addr)
		goto out;
	xgt->map[i].addr = addr;
	xgt->map[i].domid = domid;
	count_one_more(&xgt->host, domid, "mapped");
 out:
	hv_unlock(lk);
	return addr;
}

/*
 * A grant copy between two places of one domain's xenstore ring (a copy
 * of anything else is not simulated).  Xen marks the page it writes dirty
 * for log-dirty mode: dom/ID/dirtied counts those copies, as unmapped
 * counts unmaps.  dom/ID/refuse-map makes it fail as a mapping does, with
 * the segment's status.
 */
int xengnttab_grant_copy(xengnttab_handle *xgt, uint32_t count,
			 xengnttab_grant_copy_segment_t *segs)
{
	const uint16_t both = GNTCOPY_source_gref | GNTCOPY_dest_gref;
	struct hv_dominfo info;
	unsigned int i, domid;
	char *ring;
	int lk;

	for (i = 0; i < count; i++) {
		xengnttab_grant_copy_segment_t *s = &segs[i];

		if ((s->flags & both) != both ||
		    s->source.foreign.ref != GNTTAB_RESERVED_XENSTORE ||
		    s->dest.foreign.ref != GNTTAB_RESERVED_XENSTORE ||
		    s->source.foreign.domid != s->dest.foreign.domid ||
		    s->source.foreign.offset + s->len > HV_PAGE_SIZE ||
		    s->dest.foreign.offset + s->len > HV_PAGE_SIZE) {
			errno = EINVAL;
			return -1;
		}
		domid = s->dest.foreign.domid;
		lk = hv_lock(&xgt->host);
		if (lk < 0)
			return -1;
		s->status = GNTST_okay;
		if (hv_dom_info(&xgt->host, domid, &info) || info.dying)
			s->status = GNTST_bad_domain;
		else if (refuses_map(&xgt->host, domid))
			s->status = GNTST_permission_denied;
		else if (!(ring = hv_ring_map(&xgt->host, domid)))
			s->status = GNTST_general_error;
		if (s->status == GNTST_okay) {
			memmove(ring + s->dest.foreign.offset,
				ring + s->source.foreign.offset, s->len);
			munmap(ring, HV_PAGE_SIZE);
			count_one_more(&xgt->host, domid, "dirtied");
		}
		hv_unlock(lk);
	}
	return 0;
}

/*
 * The last reference to a dying domain's page going away finishes it off.
 * As Xen marks a page written through a writable grant mapping dirty for
 * log-dirty mode only when the mapping goes, dom/ID/unmapped counts the
 * unmaps: the times a save would have seen the ring page dirtied by us.
 */
int xengnttab_unmap(xengnttab_handle *xgt, void *start_address,
		    uint32_t count)
{
	struct hv_dominfo info;
	char p[PATH_MAX];
	unsigned int i, domid, n;
	int lk;

	for (i = 0; i < MAX_MAPS && xgt->map[i].addr != start_address; i++)
		;
	if (i == MAX_MAPS || count != 1) {
		errno = EINVAL;
		return -1;
	}
	munmap(start_address, HV_PAGE_SIZE);
	xgt->map[i].addr = NULL;
	domid = xgt->map[i].domid;
	lk = hv_lock(&xgt->host);
	if (lk < 0)
		return -1;
	count_one_more(&xgt->host, domid, "unmapped");
	if (!hv_dom_read_uint(&xgt->host, domid, "mapped", &n) && n > 1) {
		/* Another mapping of the page is left. */
		hv_dom_write_uint(&xgt->host, domid, "mapped", n - 1);
		hv_unlock(lk);
		return 0;
	}
	if (!hv_path(&xgt->host, p, "dom/%u/mapped", domid))
		unlink(p);
	if (!hv_dom_info(&xgt->host, domid, &info) && info.dying)
		hv_dom_reap(&xgt->host, domid);
	hv_unlock(lk);
	return 0;
}
