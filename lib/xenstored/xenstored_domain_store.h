/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The domain store of a running xenstored, over the wire protocol
 * (xenstored/xenstored_client.h): every request with a timeout, the state
 * file handed over as a descriptor with the request itself.
 *
 * The state goes through a scratch file (xenstored/temp_file.h) because a
 * CONTROL reply is limited to a page: on save, xenstored writes it and we
 * map it, so the engine reads it in place and copies it once, to the
 * caller's sink; on restore, the engine encodes it straight into the file.
 */
#ifndef XSM_XENSTORED_XENSTORED_DOMAIN_STORE_H
#define XSM_XENSTORED_XENSTORED_DOMAIN_STORE_H

#include "xenstored/domain_store.h"
#include "xenstored/xenstored_client.h"

namespace xsm {

class XenstoredDomainStore : public DomainStore {
public:
    /* The daemon xs_open(0) reaches (XENSTORED_PATH), as a xsm_ctx names it. */
    explicit XenstoredDomainStore(xs_handle *h) : xs_(h) {}
    /* The daemon listening on socket (or device) path. */
    explicit XenstoredDomainStore(const std::string &path) : xs_(path) {}

    void set_timeout_ms(int ms) override { xs_.set_timeout_ms(ms); }
    Status CheckCommands() override;
    Status Has(const std::string &cmd) override;
    Status Directory(const std::string &path, std::vector<std::string> *out) override;
    Status Read(const std::string &path, std::string *out) override;
    Status Permissions(const std::string &path, std::vector<Permission> *out,
                       bool *exists) override;
    Status Quotas(std::map<std::string, long> *out) override;
    Status Quiesce(unsigned int domid) override;
    Status Unquiesce(unsigned int domid) override;
    Status SaveDomain(unsigned int domid, const std::vector<std::string> &roots,
                      StateImage *image) override;
    Status RestoreDomain(const RestoreRequest &r, const StateWriter &write) override;

private:
    XenstoredClient xs_;
};

} // namespace xsm

#endif
