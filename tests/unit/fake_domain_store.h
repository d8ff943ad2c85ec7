/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * An in-memory xenstored for the engine's unit tests: the host's nodes
 * with their permissions, which domains are quiesced, what save-domain
 * writes for a domain, what restore-domain was handed.  Any request can
 * be told to fail, the Nth of its kind, with any errno, as a refusal or
 * as a lost connection (a timeout), so every failure path of a save, a
 * restore or a resume can be reached without a daemon.
 *
 * Its refusals read as the real client words them ("xenstored refused
 * \"quiesce\": ..."), so the messages the engine builds on them are the
 * ones a user sees.
 */
#ifndef XSM_TESTS_UNIT_FAKE_DOMAIN_STORE_H
#define XSM_TESTS_UNIT_FAKE_DOMAIN_STORE_H

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/domain_state.h"
#include "xenstored/domain_store.h"

namespace xsm_test {

class FakeDomainStore : public xsm::DomainStore {
public:
    struct Node {
        std::string value;
        std::vector<xsm::XsPermission> perms; /* owner first */
    };
    struct Restored {
        xsm::RestoreRequest request;
        std::string state; /* as the engine wrote it for xenstored */
    };
    /* Request kinds, for FailAt() and requests(). */
    static constexpr const char *kQuiesce = "quiesce";
    static constexpr const char *kUnquiesce = "unquiesce";
    static constexpr const char *kSaveDomain = "save-domain";
    static constexpr const char *kRestoreDomain = "restore-domain";
    static constexpr const char *kDirectory = "directory";
    static constexpr const char *kRead = "read";
    static constexpr const char *kGetPerms = "get-perms";
    static constexpr const char *kQuota = "quota";
    static constexpr const char *kHelp = "help";

    FakeDomainStore();

    /* A node, and its missing ancestors with the same permissions. */
    void Put(const std::string &path, const std::string &value,
             std::vector<xsm::XsPermission> perms = {{'n', 0}});
    /* What save-domain writes for domid: s, encoded as xenstored does. */
    void SetSavedState(unsigned int domid, const xsm::DomainState &s);
    void SetSavedOctets(unsigned int domid, std::string octets) { saved_[domid] = octets; }

    /*
     * The nth request of kind from now on (1: the next one) fails with
     * err: as xenstored's refusal, or, with lost, as a connection that
     * timed out or broke (and was dropped).  Each scripted failure
     * happens once.
     */
    void FailAt(const std::string &kind, int nth, int err, bool lost = false);
    /* Every request of kind from now on fails so. */
    void FailAlways(const std::string &kind, int err, bool lost = false);
    /* The nth request of kind from now on throws std::bad_alloc (memory
     * ran out in the middle of a call). */
    void ThrowAt(const std::string &kind, int nth);
    /* Writing the state file for restore-domain fails with err (a full
     * scratch file system). */
    void FailFileWrites(int err) { file_write_err_ = err; }

    /* The daemon lacks CONTROL command cmd; or its restore-domain is an
     * older one, without "quiesced". */
    void Remove(const std::string &cmd) { commands_.erase(cmd); }
    void WithoutQuiescedRestore() { quiesced_restore_ = false; }

    bool quiesced(unsigned int domid) const { return quiesced_.count(domid) != 0; }
    const std::vector<Restored> &restored() const { return restored_; }
    /* "kind arg..." of every request that reached the fake, in order. */
    const std::vector<std::string> &requests() const { return requests_; }
    size_t count(const std::string &kind) const;
    const std::vector<std::string> &saved_roots() const { return saved_roots_; }
    int timeout_ms() const { return timeout_ms_; }
    std::map<std::string, long> &quotas() { return quotas_; }
    const std::map<std::string, Node> &nodes() const { return nodes_; }

    void set_timeout_ms(int ms) override { timeout_ms_ = ms; }
    xsm::Status CheckCommands() override;
    xsm::Status Has(const std::string &cmd) override;
    xsm::Status Directory(const std::string &path, std::vector<std::string> *out) override;
    xsm::Status Read(const std::string &path, std::string *out) override;
    xsm::Status Permissions(const std::string &path, std::vector<Permission> *out,
                            bool *exists) override;
    xsm::Status Quotas(std::map<std::string, long> *out) override;
    xsm::Status Quiesce(unsigned int domid) override;
    xsm::Status Unquiesce(unsigned int domid) override;
    xsm::Status SaveDomain(unsigned int domid, const std::vector<std::string> &roots,
                           xsm::StateImage *image) override;
    xsm::Status RestoreDomain(const xsm::RestoreRequest &r, const StateWriter &write) override;

private:
    struct Scripted {
        int err;
        bool lost;
        bool throws;
    };
    /* Logs the request; its scripted failure, if any. */
    xsm::Status Request(const std::string &kind, const std::string &args);
    static xsm::Status Refuse(const std::string &kind, int err);

    std::map<std::string, Node> nodes_;
    std::set<unsigned int> quiesced_;
    std::map<unsigned int, std::string> saved_;
    std::vector<std::string> saved_roots_;
    std::vector<Restored> restored_;
    std::map<std::string, long> quotas_;
    std::set<std::string> commands_;
    bool quiesced_restore_ = true;
    std::vector<std::string> requests_;
    std::map<std::string, size_t> seen_;                    /* requests per kind */
    std::map<std::pair<std::string, size_t>, Scripted> fail_; /* kind, which -> how */
    std::map<std::string, Scripted> fail_always_;
    int timeout_ms_ = 0;
    int file_write_err_ = 0;
};

} // namespace xsm_test

#endif
