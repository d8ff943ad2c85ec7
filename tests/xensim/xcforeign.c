/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xensim: the libxenctrl entry points oxenstored's OCaml bindings
 * (tools/ocaml/libs/xc) need beyond those of xenlibs.c.  oxenstored maps a
 * domain's ring by its frame number (xc_map_foreign_range), where C
 * xenstored maps the reserved grant, and asks for domain state through
 * xc_domain_getinfolist.  Every other libxenctrl call of those bindings is
 * a stub that aborts (generated at build time, see oxenstored.mk): the
 * daemon never makes them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define XC_WANT_COMPAT_MAP_FOREIGN_API
#include <xenctrl.h>

#include "hv.h"

/*
 * The ring is the only guest page; the frame number is not checked, as
 * the simulated toolstack hands a fixed fake to XS_INTRODUCE.  oxenstored
 * unmaps with munmap(2) directly, so this mapping does not hold a dying
 * domain back the way a grant mapping does.
 */
void *xc_map_foreign_range(xc_interface *xch, uint32_t dom, int size,
			   int prot, unsigned long mfn)
{
	struct hv_host host;
	struct hv_dominfo info;
	void *addr = NULL;
	int lk;

	if (size != HV_PAGE_SIZE || hv_host_from_env(&host)) {
		errno = EINVAL;
		return NULL;
	}
	lk = hv_lock(&host);
	if (lk < 0)
		return NULL;
	if (hv_dom_info(&host, dom, &info) || info.dying)
		errno = ESRCH;
	else
		addr = hv_ring_map(&host, dom);
	hv_unlock(lk);
	return addr;
}

int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain,
			  unsigned int max_domains, xc_domaininfo_t *info)
{
	xc_dominfo_t di[64];
	int n, i;

	if (max_domains > 64)
		max_domains = 64;
	n = xc_domain_getinfo(xch, first_domain, max_domains, di);
	for (i = 0; i < n; i++) {
		memset(&info[i], 0, sizeof(info[i]));
		info[i].domain = di[i].domid;
		info[i].flags = (di[i].dying ? XEN_DOMINF_dying : 0) |
			(di[i].shutdown ? XEN_DOMINF_shutdown : 0) |
			((di[i].shutdown_reason & XEN_DOMINF_shutdownmask) <<
			 XEN_DOMINF_shutdownshift);
		info[i].max_vcpu_id = 0;
	}
	return n;
}

const xc_error *xc_get_last_error(xc_interface *xch)
{
	static xc_error none = { .code = XC_ERROR_NONE };

	return &none;
}

const char *xc_error_code_to_desc(int code)
{
	return code == XC_ERROR_NONE ? "No error details" : "Unknown error code";
}
