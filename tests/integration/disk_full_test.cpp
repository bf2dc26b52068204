// A full disk under rapportd's SQLite database: its data dir is a small tmpfs, filled up by the
// test. Writes must answer 503 with retry_after in each dialect and change nothing, a report job
// must store no partial report or PDF, reads must go on, and once space is freed everything
// must work again without a restart: the queued job completes with exactly one report and PDF.
// Mounting a tmpfs needs CAP_SYS_ADMIN (root on the CI machines); elsewhere the test is skipped
// and says why. PostgreSQL keeps its data in its own cluster, so the pg. variant skips too.
#include "server_process.hpp"

#include <gtest/gtest.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

namespace rapport::testing {
namespace {

namespace fs = std::filesystem;

// A tmpfs of `bytes` mounted for the test's lifetime.
class SmallDisk {
 public:
  explicit SmallDisk(int64_t bytes)
      : dir_(fs::temp_directory_path() / ("rapport-disk-" + std::to_string(::getpid()))) {
    fs::create_directories(dir_);
    std::string options = "size=" + std::to_string(bytes);
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", 0, options.c_str()) != 0) {
      error_ = std::strerror(errno);
    }
  }
  ~SmallDisk() {
    if (error_.empty()) ::umount2(dir_.c_str(), MNT_DETACH);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  const std::string& error() const { return error_; }
  const fs::path& dir() const { return dir_; }

  // Writes a file until the disk is full (ENOSPC); returns its path.
  fs::path Fill() const {
    fs::path filler = dir_ / "filler";
    std::ofstream out(filler, std::ios::binary);
    std::string block(4096, 'x');
    while (out.write(block.data(), static_cast<std::streamsize>(block.size()))) out.flush();
    return filler;
  }

 private:
  fs::path dir_;
  std::string error_;
};

int64_t Count(const std::string& db, const std::string& table) {
  return std::stoll(Sql(db, "SELECT COUNT(*) FROM " + table));
}

TEST(DiskFullTest, WritesAre503AndChangeNothingAndAllRecoversOnceSpaceIsFreed) {
  if (UsingPostgres()) GTEST_SKIP() << "PostgreSQL's data is in its cluster, not rapportd's dir";
  SmallDisk disk(16 << 20);
  if (!disk.error().empty()) GTEST_SKIP() << "cannot mount a tmpfs: " << disk.error();
  std::string db = (disk.dir() / "rapport.db").string();
  ServerProcess server({{"RAPPORT_DATABASE_URL", db},
                        {"RAPPORT_RATE_LIMIT_BURST_PER_MIN", "0"},
                        {"RAPPORT_JOB_STEP_DELAY_MS", "300"},
                        // an attempt that could record neither its report nor its failure is
                        // taken up again when its lease runs out
                        {"RAPPORT_JOB_LEASE_SECONDS", "2"}});
  server.Start();
  Api api(server, Token("t1"));
  auto site = api.Send("POST", "/sites", R"({"name":"HQ","timezone":"UTC"})");
  ASSERT_EQ(site.status, 201) << site.body;
  std::string site_id(Json(site).at("id").as_string());
  auto schedule = api.Send("POST", "/reports/sla/schedules",
                           R"({"name":"m","timezone":"UTC","monthly":true,"day_of_month":1,)"
                           R"("sites":[")" +
                               site_id + R"("]})");
  ASSERT_EQ(schedule.status, 201) << schedule.body;
  std::string schedule_id(Json(schedule).at("id").as_string());
  std::string job_id = StartSlaRun(api, schedule_id);
  ASSERT_FALSE(job_id.empty());
  std::string job_path = "/v1/jobs/" + job_id;

  // The disk fills while the job runs: it cannot store its report.
  fs::path filler = disk.Fill();
  int64_t faults_before = Count(db, "faults");
  const std::string fault =
      R"({"resource_id":")" + site_id +
      R"(","type":"site","severity":"HIGH","created_at":"2026-01-05T10:00:00Z"})";
  for (int i = 0; i < 5; ++i) {
    auto sla = api.Send("POST", "/faults", fault);
    EXPECT_EQ(sla.status, 503) << sla.body;
    EXPECT_EQ(Json(sla).at("code").as_string(), "service_unavailable");
    EXPECT_EQ(sla.Header("retry-after"), "1");
    auto v1 = api.Send("POST", "/v1/brands", R"({"name":"Acme","website":"https://acme.example"})",
                       {"Idempotency-Key: full-" + std::to_string(i)});
    EXPECT_EQ(v1.status, 503) << v1.body;
    EXPECT_EQ(Json(v1).at("error").at("details").at("retry_after").as_int64(), 1);
  }
  EXPECT_EQ(api.Get("/sites").status, 200);              // reads go on
  std::this_thread::sleep_for(std::chrono::seconds(2));  // the job reaches its commit and fails it
  EXPECT_EQ(Count(db, "faults"), faults_before);
  EXPECT_EQ(Count(db, "brands"), 0);
  EXPECT_EQ(Count(db, "reports"), 0);
  EXPECT_EQ(Count(db, "artifacts"), 0);
  EXPECT_NE(Json(api.Get(job_path)).at("status").as_string(), "completed");

  // Space comes back: no restart, and the next attempts succeed.
  fs::remove(filler);
  ASSERT_TRUE(WaitFor([&] { return api.Send("POST", "/faults", fault).status == 201; }));
  EXPECT_EQ(Count(db, "faults"), faults_before + 1);
  ASSERT_TRUE(
      WaitFor([&] { return Json(api.Get(job_path)).at("status").as_string() == "completed"; }, 60));
  EXPECT_EQ(Count(db, "reports"), 1);
  EXPECT_EQ(Count(db, "artifacts"), 1);
  auto reports = Json(api.Get("/reports/sla/reports?schedule_id=" + schedule_id)).at("data");
  ASSERT_EQ(reports.as_array().size(), 1u);
  std::string report_id(reports.at(0).at("id").as_string());
  auto pdf = api.Get("/reports/sla/reports/" + report_id + "/pdf");
  EXPECT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  EXPECT_EQ(Sql(db, "PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace rapport::testing
