/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The roots a save asks xenstored for: the guest's home, the backend
 * directories its frontends name (and only those, strictly checked), and
 * what any other template matches in the store.
 */
#include <gtest/gtest.h>

#include <cerrno>
#include <map>
#include <set>

#include "engine/device_backends.h"
#include "engine/node_policy.h"

using namespace xsm;

namespace {

/* A store of paths and values; a node's children follow from the paths. */
class FakeStore {
public:
    void Set(const std::string &path, const std::string &value = "")
    {
        values_[path] = value;
        for (size_t s = path.rfind('/'); s != std::string::npos && s > 0;
             s = path.rfind('/', s - 1)) {
            const std::string parent = path.substr(0, s);
            children_[parent].insert(path.substr(s + 1, path.find('/', s + 1) - s - 1));
            if (!values_.count(parent))
                values_[parent] = "";
        }
        children_["/"].insert(path.substr(1, path.find('/', 1) - 1));
    }
    NodePolicy::Lister lister()
    {
        return [this](const std::string &p, std::vector<std::string> *out) {
            listed.push_back(p);
            if (p != "/" && !values_.count(p))
                return Status::XenstoredRefused(ENOENT, "no " + p);
            auto it = children_.find(p);
            out->clear();
            if (it != children_.end())
                out->assign(it->second.begin(), it->second.end());
            return Status::Ok();
        };
    }
    NodePolicy::Reader reader()
    {
        return [this](const std::string &p, std::string *out) {
            auto it = values_.find(p);
            if (it == values_.end())
                return Status::XenstoredRefused(ENOENT, "no " + p);
            *out = it->second;
            return Status::Ok();
        };
    }
    std::vector<std::string> listed;

private:
    std::map<std::string, std::string> values_;
    std::map<std::string, std::set<std::string>> children_;
};

NodePolicy Policy(const std::vector<std::string> &templates)
{
    NodePolicy p;
    std::string why;
    EXPECT_TRUE(p.Parse(templates, &why)) << why;
    return p;
}

const std::string kFront = "/local/domain/5/device/";

/* Guest 5: a vif served by dom0, a vbd served by driver domain 7. */
void Devices(FakeStore *s)
{
    s->Set("/local/domain/5/name", "guest");
    s->Set(kFront + "vif/0/backend", "/local/domain/0/backend/vif/5/0");
    s->Set("/local/domain/0/backend/vif/5/0/state", "4");
    s->Set(kFront + "vbd/768/backend", "/local/domain/7/backend/vbd/5/768");
    s->Set("/local/domain/7/backend/vbd/5/768/state", "4");
    /* A disk QEMU serves: libxl names its backend type qdisk. */
    s->Set(kFront + "vbd/51712/backend", "/local/domain/0/backend/qdisk/5/51712");
    s->Set("/local/domain/0/backend/qdisk/5/51712/state", "4");
    s->Set(kFront + "suspend/event-channel", "7"); /* no device */
}

TEST(DeviceBackends, RootsAreTheHomeAndTheFrontendsBackends)
{
    FakeStore s;
    Devices(&s);
    /* The backends' own nodes beside the guest's devices: not the guest's. */
    s.Set("/local/domain/0/backend/vif/5/9/evil", "x");
    s.Set("/local/domain/7/backend/t1/5/0", "x");
    s.Set("/local/domain/7/backend/vif/5", "");
    s.Set("/local/domain/0/backend/vif/6/0/state", "4");
    std::vector<std::string> roots, warnings;
    ASSERT_TRUE(NodePolicy::Default().Roots(5, s.lister(), s.reader(), &roots, &warnings).ok());
    std::vector<std::string> want{"/local/domain/0/backend/qdisk/5/51712",
                                  "/local/domain/0/backend/vif/5/0", "/local/domain/5",
                                  "/local/domain/7/backend/vbd/5/768"};
    EXPECT_EQ(roots, want);
    EXPECT_TRUE(warnings.empty()) << warnings[0];

    roots.clear();
    ASSERT_TRUE(NodePolicy::Default().Roots(9, s.lister(), s.reader(), &roots, &warnings).ok());
    EXPECT_TRUE(roots.empty());
}

TEST(DeviceBackends, OnlyTheFrontendsOwnDeviceIsFollowed)
{
    FakeStore s;
    Devices(&s);
    s.Set("/local/domain/0/backend/vif/6/1/state", "4");
    s.Set("/local/domain/0/backend/vbd/5/3/state", "4");
    s.Set("/local/domain/00/backend/vif/5/4/state", "4");
    const std::map<std::string, std::string> bad{
            {"1", "/local/domain/0/backend/vif/6/1"},      /* another guest's */
            {"2", "/local/domain/0/backend/vif/5/0"},      /* another device's */
            {"3", "/local/domain/0/backend/vbd/5/3"},      /* another type's */
            {"12", "/local/domain/0/backend/qdisk/5/12"},  /* qdisk serves vbd only */
            {"13", "/local/domain/0/backend/vif/5/13/x"},  /* not the directory */
            {"14", "/local/domain/0/frontend/vif/5/14"},
            {"4", "/local/domain/00/backend/vif/5/4"},     /* not a domid */
            {"5", "/local/domain/32752/backend/vif/5/5"},  /* reserved */
            {"6", "/local/domain/0/backend/vif/5/6/"},     /* not the directory */
            {"7", "/local/domain/0/backend/vif/5/7/../0"}, /* not a path */
            {"8", "/local/domain//backend/vif/5/8"},
            {"9", "/local/domain/0/backend/vif/5/9\n"},
            {"10", ""},
    };
    for (const auto &[id, value] : bad)
        s.Set(kFront + "vif/" + id + "/backend", value);
    /* Followed, but its backend has no directory (yet): nothing to save. */
    s.Set(kFront + "vif/11/backend", "/local/domain/0/backend/vif/5/11");

    std::vector<std::string> roots, warnings;
    ASSERT_TRUE(NodePolicy::Default().Roots(5, s.lister(), s.reader(), &roots, &warnings).ok());
    std::vector<std::string> want{"/local/domain/0/backend/qdisk/5/51712",
                                  "/local/domain/0/backend/vif/5/0", "/local/domain/5",
                                  "/local/domain/7/backend/vbd/5/768"};
    EXPECT_EQ(roots, want);
    ASSERT_EQ(warnings.size(), bad.size());
    for (const std::string &w : warnings) {
        EXPECT_NE(w.find("not its own device's backend area"), std::string::npos) << w;
        EXPECT_EQ(w.find('\n'), std::string::npos) << w;
    }
    EXPECT_NE(warnings[0].find("/local/domain/5/device/vif/1 names backend "
                               "\"/local/domain/0/backend/vif/6/1\""),
              std::string::npos)
            << warnings[0];
}

TEST(DeviceBackends, BackendTemplatesNarrowOthersExpand)
{
    FakeStore s;
    Devices(&s);
    s.Set("/local/domain/0/device-model/5/state", "running");
    s.Set("/local/domain/0/backend/vbd/5/1/x", "");
    std::vector<std::string> roots, warnings;
    /* A backend template of one type: that type's devices only. */
    ASSERT_TRUE(Policy({"/local/domain/$DOMID", "/local/domain/*/backend/vbd/$DOMID",
                        "/local/domain/*/device-model/$DOMID"})
                        .Roots(5, s.lister(), s.reader(), &roots, &warnings).ok());
    std::vector<std::string> want{"/local/domain/0/device-model/5", "/local/domain/5",
                                  "/local/domain/7/backend/vbd/5/768"};
    EXPECT_EQ(roots, want);

    /* No backend template: no frontend is even read. */
    roots.clear();
    s.listed.clear();
    ASSERT_TRUE(Policy({"/local/domain/$DOMID"})
                        .Roots(5, s.lister(), s.reader(), &roots, &warnings).ok());
    EXPECT_EQ(roots, std::vector<std::string>{"/local/domain/5"});
    for (const std::string &p : s.listed)
        EXPECT_EQ(p.find("/device"), std::string::npos) << p;
}

TEST(DeviceBackends, StoreErrorsOtherThanENOENTFail)
{
    NodePolicy::Lister broken = [](const std::string &, std::vector<std::string> *) {
        return Status::XenstoredRefused(EACCES, "denied");
    };
    FakeStore s;
    std::vector<std::string> roots, warnings;
    Status st = NodePolicy::Default().Roots(5, broken, s.reader(), &roots, &warnings);
    EXPECT_EQ(st.code(), StatusCode::kXenstoredRefused);
    EXPECT_EQ(st.sys_errno(), EACCES);

    Devices(&s);
    NodePolicy::Reader unreadable = [](const std::string &, std::string *) {
        return Status::XenstoredLost(EIO, "broken");
    };
    st = NodePolicy::Default().Roots(5, s.lister(), unreadable, &roots, &warnings);
    EXPECT_EQ(st.code(), StatusCode::kXenstoredLost);
    EXPECT_EQ(st.sys_errno(), EIO);
}


} // namespace
