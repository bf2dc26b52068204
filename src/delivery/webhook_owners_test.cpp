#include <rapport/delivery/webhooks.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;

// A tenant-wide type registered before a per-resource type sharing one event type, as rapportd
// registers two of its kinds.
WebhookOwners TwoOwners() {
  WebhookOwners owners;
  owners.Add({.kind = "tenant", .owner_field = "", .events = {"a.done", "run.missed"}});
  owners.Add({.kind = "widget", .owner_field = "widget_id", .events = {"b.done", "run.missed"}});
  return owners;
}

Event Of(const std::string& type) { return Event{"evt_1", "t1", type, "{}", 0}; }

TEST(WebhookOwners, FindsATypeByKind) {
  WebhookOwners owners = TwoOwners();
  ASSERT_NE(owners.Find("widget"), nullptr);
  EXPECT_EQ(owners.Find("widget")->owner_field, "widget_id");
  EXPECT_EQ(owners.Find("gadget"), nullptr);
}

TEST(WebhookOwners, AnEventNamingItsResourceGoesToThatResourcesOwner) {
  WebhookOwners owners = TwoOwners();
  auto owner = owners.OwnerOf(Of("run.missed"), json::object{{"widget_id", "w1"}});
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->type->kind, "widget");
  EXPECT_EQ(owner->owner_id, "w1");
}

TEST(WebhookOwners, AnEventNamingNoResourceGoesToTheTenantWideType) {
  WebhookOwners owners = TwoOwners();
  auto owner = owners.OwnerOf(Of("run.missed"), json::object{{"schedule_id", "s1"}});
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->type->kind, "tenant");
  EXPECT_EQ(owner->owner_id, "");
  auto not_a_string = owners.OwnerOf(Of("run.missed"), json::object{{"widget_id", 7}});
  ASSERT_TRUE(not_a_string);
  EXPECT_EQ(not_a_string->type->kind, "tenant");
}

TEST(WebhookOwners, OnlyTypesListingTheEventTakeIt) {
  WebhookOwners owners = TwoOwners();
  EXPECT_FALSE(owners.OwnerOf(Of("b.done"), json::object{}));  // no widget named
  EXPECT_FALSE(owners.OwnerOf(Of("c.done"), json::object{{"widget_id", "w1"}}));
  auto a = owners.OwnerOf(Of("a.done"), json::object{{"widget_id", "w1"}});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->type->kind, "tenant");
}

TEST(WebhookOwners, PointersStayValidAsTypesAreAdded) {
  WebhookOwners owners;
  owners.Add({.kind = "first", .owner_field = "", .events = {"x"}});
  const WebhookOwnerType* first = owners.Find("first");
  for (int i = 0; i < 100; ++i) owners.Add({.kind = "k" + std::to_string(i)});
  EXPECT_EQ(owners.Find("first"), first);
  EXPECT_EQ(first->events, std::vector<std::string>{"x"});
}

}  // namespace
}  // namespace rapport
