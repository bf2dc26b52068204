// The citation part of the Store contract, on both backends: occurrences written with their
// report by CompleteJob (never twice), summed per citation, platform and domain under filters,
// paged, removed with their report, and the backfill hand-off.
#include <rapport/core/ids.hpp>
#include <rapport/store/brand_report_hooks.hpp>
#include <rapport/store/store.hpp>

#include "store_backends_test_util.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace rapport {
namespace {

using storetest::Backend;
using storetest::BackendName;
using storetest::Backends;

class StoreCitations : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("rapport-cit-" + NewUuidV4());
    std::filesystem::create_directories(dir_);
    store_ = GetParam().open(dir_);
    ASSERT_TRUE(store_);
    store_->AddReportHooks(BrandReportHooks());  // citations are stored and deleted through them
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A brand report of region config `part` created at `at`, citing `uses`.
  static Report BrandReport(const std::string& part, UnixMs at, std::vector<CitationUse> uses) {
    Report r;
    r.id = NewIdAt("rpt", at);
    r.kind = "brand";
    r.schedule_id = "srep_1";
    r.part = part;
    r.region_config_id = part;
    r.brand_id = "brand_1";
    r.trigger = "on_demand";
    r.from_date = r.to_date = "2026-03-01";
    r.body = "{}";
    r.created_at = at;
    r.kind_data = std::move(uses);
    return r;
  }

  // Completes a new claimed job of tenant t1 with `reports`; returns the job id.
  std::string Complete(const std::vector<Report>& reports) {
    Job job;
    job.id = NewId("job");
    job.tenant_id = "t1";
    job.kind = "brand_report";
    EXPECT_TRUE(store_->InsertJob(job).ok());
    EXPECT_TRUE(store_->ClaimJob("w1", 1000, {1000, 60'000}).value().has_value());
    EXPECT_TRUE(store_->CompleteJob(job.id, "w1", "{}", {}, reports, {}, 2000).ok());
    return job.id;
  }

  std::map<std::string, Citation> All(const CitationFilter& f = {}) {
    std::map<std::string, Citation> out;
    auto page = store_->ListCitations("t1", "brand_1", f, {100});
    EXPECT_TRUE(page.ok());
    for (auto& c : page->items) out[c.url] = c;
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

const std::vector<CitationUse> kDay1 = {{"https://a.example/x", "a.example", "chatgpt", 2},
                                        {"https://a.example/x", "a.example", "claude", 1},
                                        {"b.example", "b.example", "chatgpt", 1}};
const std::vector<CitationUse> kDay2 = {{"https://a.example/x", "a.example", "gemini", 3},
                                        {"https://a.example/y", "a.example", "gemini", 1}};
constexpr UnixMs kDay = 86'400'000;

TEST_P(StoreCitations, SumsOccurrencesPerCitationAndPlatformUnderFilters) {
  Complete({BrandReport("rcfg_a", 10 * kDay, kDay1)});
  Complete({BrandReport("rcfg_b", 11 * kDay, kDay2)});
  auto all = All();
  ASSERT_EQ(all.size(), 3u);
  const Citation& x = all.at("https://a.example/x");
  EXPECT_TRUE(IsValidId(x.id, "cit"));
  EXPECT_EQ(x.domain, "a.example");
  EXPECT_EQ(x.times_cited, 6);
  EXPECT_EQ(x.first_seen_at, 10 * kDay);
  EXPECT_EQ(x.last_seen_at, 11 * kDay);
  EXPECT_EQ(x.by_platform, (std::vector<std::pair<std::string, int64_t>>{
                               {"chatgpt", 2}, {"claude", 1}, {"gemini", 3}}));
  auto got = store_->GetCitation("t1", x.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->times_cited, 6);
  EXPECT_EQ(got->by_platform, x.by_platform);
  EXPECT_EQ(store_->GetCitation("t2", x.id).error().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(store_->ListCitations("t2", "brand_1", {}, {100})->items.empty());

  auto gemini = All({.platform = "gemini"});
  EXPECT_EQ(gemini.size(), 2u);
  EXPECT_EQ(gemini.at("https://a.example/x").times_cited, 3);
  EXPECT_EQ(All({.region_config_id = "rcfg_a"}).size(), 2u);
  auto day1 = All({.from = 10 * kDay, .to = 11 * kDay});
  ASSERT_EQ(day1.size(), 2u);
  EXPECT_EQ(day1.at("https://a.example/x").times_cited, 3);
  EXPECT_EQ(day1.at("https://a.example/x").last_seen_at, 10 * kDay);
  EXPECT_EQ(All({.from = 11 * kDay}).size(), 2u);

  auto domains = store_->CountCitationsByDomain("t1", "brand_1", {}, 10);
  ASSERT_TRUE(domains.ok());
  EXPECT_EQ(domains->second, 8);
  ASSERT_EQ(domains->first.size(), 2u);
  EXPECT_EQ(domains->first[0].domain, "a.example");
  EXPECT_EQ(domains->first[0].times_cited, 7);
  EXPECT_EQ(store_->CountCitationsByDomain("t1", "brand_1", {}, 1)->first.size(), 1u);
  EXPECT_EQ(store_->CountCitationsByDomain("t1", "brand_1", {.platform = "claude"}, 10)->second, 1);

  auto page1 = store_->ListCitations("t1", "brand_1", {}, {2});
  ASSERT_EQ(page1->items.size(), 2u);
  EXPECT_TRUE(page1->has_more);
  EXPECT_GT(page1->items[0].id, page1->items[1].id);
  auto page2 = store_->ListCitations("t1", "brand_1", {}, {2, page1->items[1].id});
  ASSERT_EQ(page2->items.size(), 1u);
  EXPECT_FALSE(page2->has_more);
  EXPECT_LT(page2->items[0].id, page1->items[1].id);
  EXPECT_FALSE(page2->items[0].by_platform.empty());
}

TEST_P(StoreCitations, ARetriedCompletionStoresNothingTwice) {
  Report r = BrandReport("rcfg_a", 10 * kDay, kDay1);
  std::string job = Complete({r});
  EXPECT_EQ(store_->CompleteJob(job, "w1", "{}", {}, {r}, {}, 3000).error().code(),
            ErrorCode::kConflict);
  EXPECT_EQ(All().at("https://a.example/x").times_cited, 3);
  // The backfill takes only queued reports: this one was stored with its citations.
  EXPECT_FALSE(store_->BackfillCitations(r).value());
  EXPECT_TRUE(store_->ReportsAwaitingCitations(10)->empty());
  EXPECT_EQ(All().at("https://a.example/x").times_cited, 3);
}

TEST_P(StoreCitations, DeletingAReportRemovesItsOccurrencesAndCitationsLeftWithNone) {
  Report first = BrandReport("rcfg_a", 10 * kDay, kDay1);
  Report second = BrandReport("rcfg_b", 11 * kDay, kDay2);
  Complete({first, second});
  std::string b_id = All().at("b.example").id;
  ASSERT_TRUE(store_->DeleteReport("t1", first.id).ok());
  auto left = All();
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left.at("https://a.example/x").times_cited, 3);
  EXPECT_EQ(left.at("https://a.example/x").first_seen_at, 11 * kDay);
  EXPECT_EQ(store_->GetCitation("t1", b_id).error().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(store_->DeleteReport("t1", second.id).ok());
  EXPECT_TRUE(All().empty());
  EXPECT_EQ(store_->CountCitationsByDomain("t1", "brand_1", {}, 10)->second, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreCitations, Backends(), BackendName);

}  // namespace
}  // namespace rapport
