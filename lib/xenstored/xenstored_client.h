/*
 * Talking to xenstored: the CONTROL commands of the xsmigrate patch
 * series (quiesce, save-domain, restore-domain) and the few plain
 * requests the engine needs, over an ordinary libxenstore handle.
 * Knows nothing of the stream format or of libxl.
 */
#ifndef XSM_XENSTORED_XENSTORED_CLIENT_H
#define XSM_XENSTORED_XENSTORED_CLIENT_H

#include <map>
#include <string>
#include <vector>

struct xs_handle;

namespace xsm {

/* An errno value and what was being done when it happened. */
struct XsError {
    int err = 0;
    std::string why;
    /* Refused by our own checks before xenstored saw anything. */
    bool refused = false;
};

class XenstoredClient {
public:
    /* Uses h (not owned); with h == nullptr, opens the default
     * connection (honouring XENSTORED_PATH) on first use and closes it
     * when destroyed. */
    explicit XenstoredClient(xs_handle *h) : h_(h) {}
    ~XenstoredClient();
    XenstoredClient(const XenstoredClient &) = delete;
    XenstoredClient &operator=(const XenstoredClient &) = delete;

    /* XS_CONTROL with NUL-separated arguments; the reply, or false. */
    bool Control(const std::vector<std::string> &args, std::string *reply, XsError *e);

    /* Children of path; ENOENT if it does not exist. */
    bool Directory(const std::string &path, std::vector<std::string> *out, XsError *e);

    /* The CONTROL commands xenstored knows, with their parameters as
     * "help" lists them: name -> parameter synopsis. */
    bool Commands(std::map<std::string, std::string> *out, XsError *e);

    /* xenstored's hard quotas ("quota" CONTROL command): name -> value. */
    bool Quotas(std::map<std::string, long> *out, XsError *e);

private:
    bool Handle(XsError *e);
    bool Knows(const std::string &cmd);

    xs_handle *h_;
    bool owned_ = false;
};

} // namespace xsm

#endif
