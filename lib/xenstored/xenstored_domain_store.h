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
    bool CheckCommands(XsError *e) override;
    bool Has(const std::string &cmd, XsError *e) override { return xs_.Has(cmd, e); }
    bool Directory(const std::string &path, std::vector<std::string> *out,
                   XsError *e) override
    {
        return xs_.Directory(path, out, e);
    }
    bool Read(const std::string &path, std::string *out, XsError *e) override
    {
        return xs_.Read(path, out, e);
    }
    bool Permissions(const std::string &path, std::vector<Permission> *out, bool *exists,
                     XsError *e) override
    {
        return xs_.Permissions(path, out, exists, e);
    }
    bool Quotas(std::map<std::string, long> *out, XsError *e) override
    {
        return xs_.Quotas(out, e);
    }
    bool Quiesce(unsigned int domid, XsError *e) override;
    bool Unquiesce(unsigned int domid, XsError *e) override;
    bool SaveDomain(unsigned int domid, const std::vector<std::string> &roots,
                    StateImage *image, XsError *e) override;
    bool RestoreDomain(const RestoreRequest &r, const StateWriter &write, XsError *e) override;

private:
    XenstoredClient xs_;
};

} // namespace xsm

#endif
