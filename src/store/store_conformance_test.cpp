// The Store contract, written against the interface so that every backend runs the same suite.
#include <rapport/core/ids.hpp>
#include <rapport/store/brand_report_hooks.hpp>
#include <rapport/store/store.hpp>

#include "store_backends_test_util.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

namespace rapport {
namespace {

using storetest::Backend;
using storetest::BackendName;
using storetest::Backends;

class StoreConformance : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("rapport-store-" + NewUuidV4());
    std::filesystem::create_directories(dir_);
    store_ = GetParam().open(dir_);
    ASSERT_TRUE(store_);
    store_->AddReportHooks(BrandReportHooks());  // as rapportd: brand answers go through them
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Brand MakeBrand(const std::string& tenant, const std::string& name) {
    Brand b;
    b.id = NewId("brand");
    b.tenant_id = tenant;
    b.name = name;
    b.website = "https://" + name + ".example";
    b.aliases = {"a1", "a2"};
    b.competitors = {{"C", {"c1"}}};
    b.categories = {"x"};
    b.country = "US";
    b.created_at = b.updated_at = 1000;
    return b;
  }

  // A job of `kind` for tenant t1, inserted and claimed by worker w1; returns its id.
  std::string ClaimedJob(const std::string& kind) {
    Job job;
    job.id = NewId("job");
    job.tenant_id = "t1";
    job.kind = kind;
    EXPECT_TRUE(store_->InsertJob(job).ok());
    EXPECT_TRUE(store_->ClaimJob("w1", 1000, {1000, 60'000}).value().has_value());
    return job.id;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

// The suite per narrow interface (include/rapport/store/interfaces.hpp), each on both backends.
using BrandAnswerStoreConformance = StoreConformance;
using BrandStoreConformance = StoreConformance;
using IdempotencyKeyStoreConformance = StoreConformance;
using JobQueueConformance = StoreConformance;
using RateWindowStoreConformance = StoreConformance;
using ReportStoreConformance = StoreConformance;
using StoreHealthConformance = StoreConformance;

TEST_P(StoreHealthConformance, IsReadyWithAllMigrations) {
  EXPECT_TRUE(store_->CheckReady().ok());
  EXPECT_GE(store_->SchemaVersion().value(), 1);
}

TEST_P(BrandStoreConformance, BrandRoundTripsEveryField) {
  Brand b = MakeBrand("t1", "acme");
  ASSERT_TRUE(store_->InsertBrand(b, nullptr).ok());
  auto got = store_->GetBrand("t1", b.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, b);
}

// The list columns read back whatever their strings hold: escapes, quotes, control characters,
// non-ASCII (read by the full JSON parser) beside plain ones (read by the fast path).
TEST_P(BrandStoreConformance, ListColumnsRoundTripAnyString) {
  Brand b = MakeBrand("t1", "acme");
  b.aliases = {"plain", "quote \" and \\ slash", "tab\tnew\nline", "caf\u00e9 \xe2\x82\xac", ""};
  b.categories = {};
  b.competitors = {{"Rival \"R\"",
                    {"r",
                     "\x01"
                     "ctl"}},
                   {"plain", {}},
                   {"", {"x", "y"}}};
  ASSERT_TRUE(store_->InsertBrand(b, nullptr).ok());
  EXPECT_EQ(*store_->GetBrand("t1", b.id), b);
  b.competitors = {{"only", {"a"}}};
  b.aliases = {"a", "b"};
  b.categories = {"c"};
  ASSERT_TRUE(store_->UpdateBrand(b, nullptr).ok());
  EXPECT_EQ(*store_->GetBrand("t1", b.id), b);
}

TEST_P(BrandStoreConformance, OtherTenantsRowsAreNotFound) {
  Brand b = MakeBrand("t1", "acme");
  ASSERT_TRUE(store_->InsertBrand(b, nullptr).ok());
  EXPECT_EQ(store_->GetBrand("t2", b.id).error().code(), ErrorCode::kNotFound);
  Brand hijack = b;
  hijack.tenant_id = "t2";
  hijack.name = "pwned";
  EXPECT_EQ(store_->UpdateBrand(hijack, nullptr).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->DeleteBrand("t2", b.id).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->GetBrand("t1", b.id)->name, "acme");
  EXPECT_TRUE(store_->ListBrands("t2", {}).value().items.empty());
}

TEST_P(BrandStoreConformance, UpdateAndDelete) {
  Brand b = MakeBrand("t1", "acme");
  ASSERT_TRUE(store_->InsertBrand(b, nullptr).ok());
  b.name = "renamed";
  b.country.reset();
  b.updated_at = 2000;
  ASSERT_TRUE(store_->UpdateBrand(b, nullptr).ok());
  EXPECT_EQ(*store_->GetBrand("t1", b.id), b);
  ASSERT_TRUE(store_->DeleteBrand("t1", b.id).ok());
  EXPECT_EQ(store_->GetBrand("t1", b.id).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->DeleteBrand("t1", b.id).error().code(), ErrorCode::kNotFound);
}

// brand_info.description lives in the brand's facts: written with the brand in one transaction
// and read back with it (the same value GetBrandFacts gives).
TEST_P(BrandStoreConformance, BrandDescriptionIsTheFactsDescription) {
  Brand b = MakeBrand("t1", "acme");
  BrandFacts facts{b.id, "t1", R"({"description":"Makes anvils"})", "completed", 1000};
  ASSERT_TRUE(store_->InsertBrand(b, &facts).ok());
  EXPECT_EQ(store_->GetBrand("t1", b.id)->description, "Makes anvils");
  EXPECT_EQ(store_->ListBrands("t1", {})->items.at(0).description, "Makes anvils");
  facts.body = R"({"description":"Sells anvils","industry":"tools"})";
  ASSERT_TRUE(store_->UpdateBrand(*store_->GetBrand("t1", b.id), &facts).ok());
  EXPECT_EQ(store_->GetBrand("t1", b.id)->description, "Sells anvils");
  EXPECT_EQ(store_->GetBrandFacts("t1", b.id)->body, facts.body);
  // Another tenant's update writes neither the brand nor its facts.
  Brand hijack = b;
  hijack.tenant_id = "t2";
  BrandFacts stolen{b.id, "t2", R"({"description":"pwned"})", "completed", 2000};
  EXPECT_EQ(store_->UpdateBrand(hijack, &stolen).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->GetBrand("t1", b.id)->description, "Sells anvils");
  Brand plain = MakeBrand("t1", "plain");
  ASSERT_TRUE(store_->InsertBrand(plain, nullptr).ok());
  EXPECT_EQ(store_->GetBrand("t1", plain.id)->description, std::nullopt);
}

TEST_P(BrandStoreConformance, DuplicateIdIsConflict) {
  Brand b = MakeBrand("t1", "acme");
  ASSERT_TRUE(store_->InsertBrand(b, nullptr).ok());
  EXPECT_EQ(store_->InsertBrand(b, nullptr).error().code(), ErrorCode::kConflict);
}

TEST_P(BrandStoreConformance, ListsPageNewestFirst) {
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) {
    Site s{NewId("site"), "t1", "s" + std::to_string(i), {{"k", "v"}}, "UTC", i, i};
    ASSERT_TRUE(store_->InsertSite(s).ok());
    ids.push_back(s.id);
  }
  auto first = store_->ListSites("t1", {3, std::nullopt}).value();
  ASSERT_EQ(first.items.size(), 3u);
  EXPECT_TRUE(first.has_more);
  EXPECT_EQ(first.items[0].id, ids[6]);
  auto rest = store_->ListSites("t1", {10, first.items.back().id}).value();
  ASSERT_EQ(rest.items.size(), 4u);
  EXPECT_FALSE(rest.has_more);
  EXPECT_EQ(rest.items.back().id, ids[0]);
  EXPECT_EQ(rest.items[0].tags.at("k"), "v");
}

TEST_P(IdempotencyKeyStoreConformance, IdempotencyKeyLifecycle) {
  IdempotencyKey key{"t1", "k", "fp"};
  EXPECT_EQ(store_->ClaimIdempotencyKey(key, 1000, 60'000)->state, IdempotencyState::kStarted);
  EXPECT_EQ(store_->ClaimIdempotencyKey(key, 1001, 60'000)->state, IdempotencyState::kInUse);
  IdempotencyKey other_body{"t1", "k", "fp2"};
  EXPECT_EQ(store_->ClaimIdempotencyKey(other_body, 1001, 60'000)->state,
            IdempotencyState::kMismatch);
  ASSERT_TRUE(store_->CompleteIdempotencyKey(key, 201, "{\"id\":1}", 1002).ok());
  auto replay = store_->ClaimIdempotencyKey(key, 1003, 60'000).value();
  EXPECT_EQ(replay.state, IdempotencyState::kReplay);
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.body, "{\"id\":1}");
  EXPECT_EQ(store_->ClaimIdempotencyKey({"t2", "k", "fp"}, 1003, 60'000)->state,
            IdempotencyState::kStarted);
}

TEST_P(IdempotencyKeyStoreConformance, AbandonedIdempotencyClaimCanBeRetaken) {
  IdempotencyKey key{"t1", "k", "fp"};
  ASSERT_EQ(store_->ClaimIdempotencyKey(key, 1000, 60'000)->state, IdempotencyState::kStarted);
  EXPECT_EQ(store_->ClaimIdempotencyKey(key, 70'000, 60'000)->state, IdempotencyState::kStarted);
  ASSERT_TRUE(store_->ReleaseIdempotencyKey(key).ok());
  EXPECT_EQ(store_->ClaimIdempotencyKey(key, 70'001, 60'000)->state, IdempotencyState::kStarted);
}

// A slow request's process refreshes its claim: only a claim left unrefreshed goes stale, and a
// refresh never revives a finished or another tenant's key.
TEST_P(IdempotencyKeyStoreConformance, RefreshedIdempotencyClaimIsNotTakenForAbandoned) {
  IdempotencyKey slow{"t1", "slow", "fp"}, dead{"t1", "dead", "fp"}, done{"t1", "done", "fp"};
  ASSERT_EQ(store_->ClaimIdempotencyKey(slow, 1000, 60'000)->state, IdempotencyState::kStarted);
  ASSERT_EQ(store_->ClaimIdempotencyKey(dead, 1000, 60'000)->state, IdempotencyState::kStarted);
  ASSERT_EQ(store_->ClaimIdempotencyKey(done, 1000, 60'000)->state, IdempotencyState::kStarted);
  ASSERT_TRUE(store_->CompleteIdempotencyKey(done, 201, "{}", 1001).ok());
  ASSERT_TRUE(store_->RefreshIdempotencyKeys({slow, done, {"t2", "slow", "fp"}}, 50'000).ok());
  EXPECT_EQ(store_->ClaimIdempotencyKey(slow, 70'000, 60'000)->state, IdempotencyState::kInUse);
  EXPECT_EQ(store_->ClaimIdempotencyKey(dead, 70'000, 60'000)->state, IdempotencyState::kStarted);
  EXPECT_EQ(store_->ClaimIdempotencyKey(done, 70'000, 60'000)->state, IdempotencyState::kReplay);
  EXPECT_EQ(store_->ClaimIdempotencyKey(slow, 110'001, 60'000)->state, IdempotencyState::kStarted);
  EXPECT_TRUE(store_->RefreshIdempotencyKeys({}, 1).ok());
}

TEST_P(IdempotencyKeyStoreConformance, PurgeRemovesOldKeysOnly) {
  ASSERT_TRUE(store_->ClaimIdempotencyKey({"t1", "old", "f"}, 1000, 1).ok());
  ASSERT_TRUE(store_->ClaimIdempotencyKey({"t1", "new", "f"}, 5000, 1).ok());
  EXPECT_EQ(store_->PurgeIdempotencyKeys(3000).value(), 1);
  EXPECT_EQ(store_->ClaimIdempotencyKey({"t1", "new", "f"}, 5001, 60'000)->state,
            IdempotencyState::kInUse);
}

TEST_P(BrandStoreConformance, ConcurrentWritersAndReadersLoseNothing) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        ASSERT_TRUE(
            store_->InsertBrand(MakeBrand("t1", "b" + std::to_string(t * 100 + i)), nullptr).ok());
        ASSERT_TRUE(store_->ListBrands("t1", {5, std::nullopt}).ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  size_t total = 0;
  std::optional<std::string> after;
  do {
    auto page = store_->ListBrands("t1", {100, after}).value();
    total += page.items.size();
    after = page.has_more ? std::optional(page.items.back().id) : std::nullopt;
  } while (after);
  EXPECT_EQ(total, 200u);
}

TEST_P(JobQueueConformance, JobCountsCoverEveryStatus) {
  auto counts = store_->CountJobsByStatus().value();
  EXPECT_EQ(counts.size(), 5u);
  EXPECT_EQ(counts.at("pending"), 0);
}

TEST_P(ReportStoreConformance, EachReportOfAJobHasItsOwnPdfAndKeepsItWhenASiblingIsDeleted) {
  std::string job = ClaimedJob("brand_report");
  std::vector<Report> reports;
  std::vector<Artifact> pdfs;
  for (const char* part : {"rcfg_a", "rcfg_b"}) {
    Report r;
    r.id = NewId("rpt");
    r.kind = "brand";
    r.schedule_id = "sched_1";
    r.part = part;
    r.region_config_id = part;
    r.trigger = "on_demand";
    r.from_date = r.to_date = "2026-11-30";
    r.body = "{}";
    reports.push_back(r);
    pdfs.push_back({std::string(part) + "report.pdf", "application/pdf", "%PDF " + r.part});
  }
  ASSERT_TRUE(store_->CompleteJob(job, "w1", "{}", pdfs, reports, {}, 2000).ok());
  EXPECT_EQ(store_->GetReportArtifact("t1", reports[0].id, "report.pdf")->bytes, "%PDF rcfg_a");
  EXPECT_EQ(store_->GetReportArtifact("t1", reports[1].id, "report.pdf")->bytes, "%PDF rcfg_b");
  EXPECT_TRUE(store_->GetReport("t1", reports[1].id)->has_pdf);
  auto only_b = store_->ListReports("t1", {.kind = "brand", .region_config_id = "rcfg_b"}, {10});
  ASSERT_EQ(only_b->items.size(), 1u);
  EXPECT_EQ(only_b->items[0].id, reports[1].id);

  ASSERT_TRUE(store_->DeleteReport("t1", reports[0].id).ok());
  EXPECT_EQ(store_->GetReportArtifact("t1", reports[0].id, "report.pdf").error().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(store_->GetReportArtifact("t1", reports[1].id, "report.pdf")->bytes, "%PDF rcfg_b");
  EXPECT_EQ(store_->GetReportArtifact("t2", reports[1].id, "report.pdf").error().code(),
            ErrorCode::kNotFound);
}

TEST_P(BrandAnswerStoreConformance,
       BrandRunCheckpointsAreWrittenByTheLeaseHolderAndGoWithTheirReport) {
  std::string job = ClaimedJob("brand_report");
  auto answer = [&](const std::string& config, int sample, const std::string& status) {
    BrandAnswer a;
    a.key = {job, config, "prm_1", "chatgpt", sample};
    a.tenant_id = "t1";
    a.status = status;
    a.retryable = status == "failed";
    a.error = status == "failed" ? "the provider answered 503" : "";
    a.model = "gpt-x";
    a.answer = status == "failed" ? "" : "Acme is great";
    a.sources = R"([{"url":"https://a.example/x","title":"A"}])";
    a.latency_ms = 1200;
    a.prompt_tokens = 11;
    a.completion_tokens = 22;
    a.created_at = 1500;
    return a;
  };
  ASSERT_TRUE(store_->PutBrandAnswer(answer("rcfg_a", 1, "answered"), "w1").ok());
  ASSERT_TRUE(store_->PutBrandAnswer(answer("rcfg_a", 2, "failed"), "w1").ok());
  ASSERT_TRUE(store_->PutBrandAnswer(answer("rcfg_b", 1, "answered"), "w1").ok());
  // A worker without the lease writes nothing.
  EXPECT_EQ(store_->PutBrandAnswer(answer("rcfg_b", 2, "answered"), "w2").error().code(),
            ErrorCode::kConflict);
  EXPECT_EQ(store_->PutBrandJudgement({job, "rcfg_a", "prm_1", "chatgpt", 1}, "{}", 1, 1, "w2")
                .error()
                .code(),
            ErrorCode::kConflict);
  // The failure asked again and answered replaces it; the judgement is added.
  ASSERT_TRUE(store_->PutBrandAnswer(answer("rcfg_a", 2, "answered"), "w1").ok());
  ASSERT_TRUE(store_
                  ->PutBrandJudgement({job, "rcfg_a", "prm_1", "chatgpt", 1}, R"({"claims":[]})",
                                      30, 40, "w1")
                  .ok());
  auto rows = store_->ListBrandAnswers(job);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  const BrandAnswer& first = (*rows)[0];
  EXPECT_EQ(first.key.region_config_id, "rcfg_a");
  EXPECT_EQ(first.key.sample, 1);
  EXPECT_EQ(first.answer, "Acme is great");
  EXPECT_EQ(first.model, "gpt-x");
  EXPECT_EQ(first.sources, R"([{"url":"https://a.example/x","title":"A"}])");
  EXPECT_EQ(first.latency_ms, 1200);
  EXPECT_EQ(first.completion_tokens, 22);
  EXPECT_EQ(first.judgement, R"({"claims":[]})");
  EXPECT_EQ(first.judge_completion_tokens, 40);
  EXPECT_EQ((*rows)[1].status, "answered");
  EXPECT_FALSE((*rows)[2].judgement.has_value());

  // The report of rcfg_a takes its answers along when deleted; rcfg_b's stay.
  std::vector<Report> reports;
  for (const char* part : {"rcfg_a", "rcfg_b"}) {
    Report r;
    r.id = NewId("rpt");
    r.kind = "brand";
    r.schedule_id = "srep_1";
    r.part = part;
    r.region_config_id = part;
    r.trigger = "on_demand";
    r.from_date = r.to_date = "2026-12-04";
    r.body = "{}";
    reports.push_back(r);
  }
  ASSERT_TRUE(store_->CompleteJob(job, "w1", "{}", {}, reports, {}, 2000).ok());
  EXPECT_EQ(store_->PutBrandAnswer(answer("rcfg_b", 3, "answered"), "w1").error().code(),
            ErrorCode::kConflict);  // the job is over
  ASSERT_TRUE(store_->DeleteReport("t1", reports[0].id).ok());
  rows = store_->ListBrandAnswers(job);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].key.region_config_id, "rcfg_b");
}

TEST_P(JobQueueConformance, QueueCountLeavesDeliveryJobsOut) {
  for (const char* kind : {"sla_report", "webhook_delivery", "email_delivery", "brand_report"}) {
    Job job;
    job.id = NewId("job");
    job.tenant_id = "t1";
    job.kind = kind;
    ASSERT_TRUE(store_->InsertJob(job).ok());
  }
  EXPECT_EQ(*store_->CountUnfinishedJobs("t1"), 2);
  EXPECT_EQ(*store_->CountUnfinishedJobs(""), 2);
}

TEST_P(ReportStoreConformance, AReportPdfIsReadInPiecesByteForByte) {
  std::string job = ClaimedJob("sla_report");
  Report r;
  r.id = NewId("rpt");
  r.kind = "sla";
  r.schedule_id = "sla_1";
  r.trigger = "on_demand";
  r.from_date = r.to_date = "2026-11-30";
  r.body = "{}";
  std::string bytes;
  for (int i = 0; i < 300'000; ++i) bytes += static_cast<char>(i * 7 % 256);  // NULs and all
  ASSERT_TRUE(
      store_
          ->CompleteJob(job, "w1", "{}", {{"report.pdf", "application/pdf", bytes}}, {r}, {}, 2000)
          .ok());
  auto info = store_->GetReportArtifactInfo("t1", r.id, "report.pdf");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->size, 300'000);
  EXPECT_EQ(info->content_type, "application/pdf");
  std::string read;
  for (int64_t offset = 0; offset < info->size; offset += 128 * 1024) {
    auto piece = store_->ReadReportArtifact("t1", r.id, "report.pdf", offset, 128 * 1024);
    ASSERT_TRUE(piece.ok());
    read += *piece;
  }
  EXPECT_EQ(read, bytes);
  EXPECT_EQ(store_->ReadReportArtifact("t1", r.id, "report.pdf", 300'000, 10)->size(), 0u);
  EXPECT_EQ(store_->GetReportArtifactInfo("t2", r.id, "report.pdf").error().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(store_->ReadReportArtifact("t2", r.id, "report.pdf", 0, 10).error().code(),
            ErrorCode::kNotFound);
}

TEST_P(RateWindowStoreConformance, RateWindowsCountPerKeyAndMinuteEvenConcurrentlyAndArePurged) {
  EXPECT_EQ(*store_->CountRateWindow("t1\nalice", 100), 1);
  EXPECT_EQ(*store_->CountRateWindow("t1\nalice", 100), 2);
  EXPECT_EQ(*store_->CountRateWindow("t1\nbob", 100), 1);
  EXPECT_EQ(*store_->CountRateWindow("t1\nalice", 101), 1);
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&] {
      for (int i = 0; i < 50; ++i) ASSERT_TRUE(store_->CountRateWindow("t1\nalice", 101).ok());
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(*store_->CountRateWindow("t1\nalice", 101), 202);  // no increment lost
  EXPECT_EQ(*store_->PurgeRateWindows(101), 2);
  EXPECT_EQ(*store_->CountRateWindow("t1\nalice", 100), 1);
}

TEST_P(JobQueueConformance, LeasesAreJudgedOnTheLeaseClockNotTheWallClock) {
  std::string id = ClaimedJob("sla_report");  // leased at lease time 1000 for 60 s
  // The wall clock stepped a day ahead: the lease has not run out on the lease clock.
  constexpr UnixMs kDayLater = 1000 + 86'400'000;
  const LostJobPolicy policy{.poison_limit = 5, .backoff_base_ms = 1'000};
  EXPECT_EQ(store_->RecoverLostJobs(kDayLater, 30'000, policy).value(), 0);
  EXPECT_TRUE(store_->HeartbeatJob(id, "w1", {"step", "", 1, 2}, kDayLater, {40'000, 60'000}).ok());
  // Renewed to 100,000: still the holder's at 99,999, lost at 100,001 (it stopped renewing).
  EXPECT_EQ(store_->RecoverLostJobs(500, 99'999, policy).value(), 0);
  EXPECT_EQ(store_->RecoverLostJobs(500, 100'001, policy).value(), 1);
  auto reclaimed = store_->ClaimJob("w2", 1'500, {100'001, 60'000}).value();  // after its backoff
  ASSERT_TRUE(reclaimed.has_value());
  EXPECT_EQ(reclaimed->id, id);
  EXPECT_EQ(reclaimed->lease_owner, "w2");
  EXPECT_EQ(reclaimed->lease_expires_at, 160'001);
}

TEST_P(JobQueueConformance, OldestDueJobIsTheQueuesAge) {
  EXPECT_FALSE(store_->OldestDueJobAt(10'000).value().has_value());
  for (UnixMs run_after : {5'000, 1'000}) {
    Job job;
    job.id = NewId("job");
    job.tenant_id = "t1";
    job.kind = "sla_report";
    job.run_after = run_after;
    ASSERT_TRUE(store_->InsertJob(job).ok());
  }
  EXPECT_FALSE(store_->OldestDueJobAt(500).value().has_value());  // none due yet
  EXPECT_EQ(store_->OldestDueJobAt(3'000).value(), 1'000);
  ASSERT_TRUE(store_->ClaimJob("w1", 3'000, {3'000, 60'000}).value().has_value());  // takes 1,000
  EXPECT_EQ(store_->OldestDueJobAt(6'000).value(), 5'000);
}

INSTANTIATE_TEST_SUITE_P(Backends, BrandAnswerStoreConformance, Backends(), BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, BrandStoreConformance, Backends(), BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, IdempotencyKeyStoreConformance, Backends(), BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, JobQueueConformance, Backends(), BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, RateWindowStoreConformance, Backends(), BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, ReportStoreConformance, Backends(), BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, StoreHealthConformance, Backends(), BackendName);

}  // namespace
}  // namespace rapport
