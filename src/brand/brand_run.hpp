// One attempt of a brand run (private to the brand module; the `brand_report` job's body): plans
// the answers the run needs, resumes from the job's checkpoints, asks the rest concurrently and
// stores each reply as it arrives, then builds one report per region config from the stored
// answers.
#pragma once

#include <rapport/brand/brand_report.hpp>
#include <rapport/brand/scorer.hpp>
#include <rapport/store/store.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rapport {

class BrandRun {
 public:
  BrandRun(BrandRunStores stores, const Clock& clock, const LlmClient& client, JobContext& ctx)
      : stores_(stores), clock_(clock), client_(client), settings_(client.settings()), ctx_(ctx) {}

  Result<JobOutcome> Execute();

 private:
  // A region config of the run with its enabled prompts, oldest first.
  struct Work {
    RegionConfig config;
    std::vector<Prompt> prompts;
    int samples = 1;
    std::string system_prompt;
  };
  // One answer the run needs: a sample of a prompt asked of a platform for a region config.
  struct Unit {
    BrandAnswerKey key;
    size_t work = 0;
    const Prompt* prompt = nullptr;
    LlmEndpoint endpoint;
  };

  Status Load();
  Status LoadWork(const std::vector<std::string>& config_ids);
  Status Plan();
  Status Resume(LlmBatch& batch);
  Status Ask();
  void OnReply(LlmBatch& batch, uint64_t tag, LlmReply reply);
  void OnAnswer(LlmBatch& batch, uint64_t tag, const Unit& unit, LlmReply reply);
  void OnJudgement(const Unit& unit, LlmReply reply);
  bool Keep(const Status& written);
  bool NeedsJudgement(const BrandAnswer& a) const;
  LlmMessage JudgeQuestion(const std::string& answer) const;
  Status CheckFailures() const;
  Result<JobOutcome> Build();
  Result<Report> BuildReport(size_t work, UnixMs now, std::vector<AskedAnswer>& all);
  void AddEvents(JobOutcome& outcome, UnixMs now) const;

  BrandRunStores stores_;
  const Clock& clock_;
  const LlmClient& client_;
  const LlmSettings& settings_;
  JobContext& ctx_;

  std::string schedule_id_, trigger_, batch_id_;
  size_t regions_requested_ = 0;
  ScheduledReport schedule_;
  Brand brand_;
  Entity brand_entity_;
  std::vector<Entity> competitors_;
  std::string facts_;
  std::optional<LlmEndpoint> judge_;
  bool judging_ = false;
  std::vector<Work> work_;
  std::vector<Unit> units_;
  std::map<BrandAnswerKey, BrandAnswer> stored_;
  int64_t tokens_used_ = 0;
  int64_t done_ = 0;
  std::optional<Error> fatal_;  // ends the run: a platform cannot answer, the budget is spent
  bool lease_lost_ = false;
};

}  // namespace rapport
