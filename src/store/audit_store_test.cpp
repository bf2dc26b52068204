// The audit log's store contract, on both backends: under an AuditScope, the first write
// transaction holds the scope's row, so that the write and its row commit together and a write
// that fails after the row was inserted leaves neither; later transactions and writes without a
// scope add nothing; listing filters and pages per tenant; the purge removes old rows only.
#include <rapport/core/ids.hpp>
#include <rapport/store/audit.hpp>
#include <rapport/store/sql.hpp>
#include <rapport/store/store.hpp>

#include "store_backends_test_util.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace rapport {
namespace {

using storetest::BackendName;
using storetest::Backends;

class AuditStoreConformance : public storetest::BackendStoreTest {
 protected:
  static AuditEvent Event(const std::string& tenant, UnixMs at, const std::string& actor = "ann") {
    return AuditEvent{.id = NewIdAt("aud", at),
                      .tenant_id = tenant,
                      .actor = actor,
                      .occurred_at = at,
                      .method = "PUT",
                      .route = "/white-label",
                      .path = "/white-label",
                      .outcome = "succeeded",
                      .request_id = NewUuidV4()};
  }

  std::vector<AuditEvent> All(const std::string& tenant, const AuditFilter& filter = {}) {
    return ListAuditEvents(*store_, tenant, filter, {.limit = 100}).value().items;
  }

  int64_t RateRows() {
    int64_t n = 0;
    EXPECT_TRUE(store_
                    ->Read([&](sql::Connection& c) {
                      auto q = c.Prepare("SELECT COUNT(*) FROM rate_windows");
                      if (q.Step()) n = q.Int(0);
                    })
                    .ok());
    return n;
  }

  Status InsertRateRow(const std::string& key, bool then_fail) {
    return store_->Write([&](sql::Connection& c) {
      c.Prepare("INSERT INTO rate_windows (key, minute, calls) VALUES (?1, 1, 1)")
          .Bind(1, key)
          .Run();
      if (then_fail) throw std::runtime_error("the write fails after its first statement");
    });
  }
};

TEST_P(AuditStoreConformance, AWriteUnderAScopeCommitsWithItsAuditRow) {
  AuditEvent event = Event("t1", 1000);
  {
    AuditScope scope(event);
    ASSERT_TRUE(InsertRateRow("a", false).ok());
    EXPECT_TRUE(scope.recorded());
    ASSERT_TRUE(InsertRateRow("b", false).ok());  // a second transaction adds no row
  }
  auto rows = All("t1");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].id, event.id);
  EXPECT_EQ(rows[0].actor, "ann");
  EXPECT_FALSE(rows[0].status.has_value());
  EXPECT_EQ(RateRows(), 2);
}

TEST_P(AuditStoreConformance, AWriteThatFailsAfterTheAuditInsertLeavesNeither) {
  AuditEvent event = Event("t1", 1000);
  {
    AuditScope scope(event);
    EXPECT_FALSE(InsertRateRow("a", true).ok());
    EXPECT_FALSE(scope.recorded());
  }
  EXPECT_TRUE(All("t1").empty());
  EXPECT_EQ(RateRows(), 0);
}

TEST_P(AuditStoreConformance, AfterAFailedWriteTheNextWriteOfTheScopeHoldsTheRow) {
  AuditEvent event = Event("t1", 1000);
  {
    AuditScope scope(event);
    EXPECT_FALSE(InsertRateRow("a", true).ok());
    ASSERT_TRUE(store_->PutWhiteLabel({.tenant_id = "t1", .name = "Acme", .updated_at = 1}).ok());
    EXPECT_TRUE(scope.recorded());
  }
  EXPECT_EQ(All("t1").size(), 1u);
  EXPECT_EQ(store_->GetWhiteLabel("t1").value().name, "Acme");
}

TEST_P(AuditStoreConformance, WritesWithoutAScopeAddNoRow) {
  ASSERT_TRUE(InsertRateRow("a", false).ok());
  EXPECT_TRUE(All("t1").empty());
}

TEST_P(AuditStoreConformance, CompleteListFilterPageAndPurge) {
  AuditEvent a = Event("t1", 1000, "ann"), b = Event("t1", 2000, "bob"),
             c = Event("t1", 3000, "ann"), other = Event("t2", 2500, "ann");
  for (const auto* e : {&a, &b, &c, &other}) ASSERT_TRUE(InsertAuditEvent(*store_, *e).ok());
  ASSERT_TRUE(CompleteAuditEvent(*store_, "t1", b.id, "succeeded", 201, "site_x").ok());
  ASSERT_TRUE(CompleteAuditEvent(*store_, "t2", a.id, "failed", 500, std::nullopt).ok());

  auto rows = All("t1");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].id, c.id);  // newest first
  EXPECT_EQ(rows[1].status, 201);
  EXPECT_EQ(rows[1].resource_id, "site_x");
  EXPECT_EQ(rows[2].outcome, "succeeded");  // another tenant's completion changed nothing
  EXPECT_EQ(All("t1", {.actor = "ann"}).size(), 2u);
  EXPECT_EQ(All("t1", {.resource_id = "site_x"}).size(), 1u);
  EXPECT_EQ(All("t1", {.from = 2000, .to = 3000}).size(), 1u);
  EXPECT_EQ(All("t1", {.method = "DELETE"}).size(), 0u);

  auto first = ListAuditEvents(*store_, "t1", {}, {.limit = 2}).value();
  EXPECT_TRUE(first.has_more);
  auto second =
      ListAuditEvents(*store_, "t1", {}, {.limit = 2, .after_id = first.items.back().id}).value();
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_EQ(second.items[0].id, a.id);
  EXPECT_FALSE(second.has_more);

  EXPECT_EQ(PurgeAuditEvents(*store_, 2500).value(), 2);
  EXPECT_EQ(All("t1").size(), 1u);
  EXPECT_EQ(All("t2").size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditStoreConformance, Backends(), BackendName);

}  // namespace
}  // namespace rapport
