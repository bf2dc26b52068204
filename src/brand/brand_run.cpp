// One attempt of a brand run: see brand_run.hpp.
#include "brand_run.hpp"

#include <rapport/brand/citation_service.hpp>
#include <rapport/brand/visibility_service.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/core/json.hpp>
#include <rapport/render/pdf.hpp>

#include "brand_report_internal.hpp"
#include "locale_names.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace rapport {
namespace {

namespace json = boost::json;

Entity EntityOf(const Brand& b) { return Entity{b.name, b.aliases}; }

// The region in the best form known: a recognised country by its English name and code
// ("United States (US)"), a language by its name and code ("German, code 'de'"); free text as
// the client wrote it.
std::string SystemPrompt(const RegionConfig& c) {
  const Country* country = FindCountry(c.country);
  std::string where =
      country ? std::string(country->name) + " (" + std::string(country->alpha2) + ")" : c.country;
  if (!c.location.empty()) where = c.location + ", " + where;
  auto language = FindLanguage(c.language);
  std::string answer_in =
      language ? std::string(language->name) + " (language code '" + language->code + "')"
               : "the language '" + c.language + "'";
  return "You are answering a user located in " + where + ". Answer in " + answer_in +
         ", as you would for a user there. Recommend specific companies or products when the "
         "question asks for them.";
}

std::string JudgeSystemPrompt() {
  return "You are a fact-checker. List each claim the answer makes about the brand and compare "
         "it with the brand's facts. Reply with JSON only: {\"claims\": [{\"claim\": \"...\", "
         "\"verdict\": \"correct\" | \"contradicted\" | \"unsupported\"}]}. correct: the facts "
         "support it; contradicted: the facts say otherwise; unsupported: the facts do not say.";
}

std::string Percent(double share) {
  return std::to_string(static_cast<int>(std::round(share * 100))) + " %";
}

}  // namespace

Result<JobOutcome> BrandRun::Execute() {
  RAPPORT_CHECK(Load());
  RAPPORT_CHECK(Plan());
  RAPPORT_CHECK(Ask());
  RAPPORT_CHECK(CheckFailures());
  return Build();
}

// The payload, the schedule, the brand and its facts, and the region configs to ask for.
Status BrandRun::Load() {
  std::vector<std::string> config_ids;
  try {
    json::value payload = json::parse(ctx_.job().payload);
    const auto& p = payload.as_object();
    schedule_id_ = p.at("scheduled_report_id").as_string();
    trigger_ = p.at("trigger").as_string();
    batch_id_ = p.at("batch_id").as_string();
    for (const auto& id : p.at("region_config_ids").as_array()) {
      config_ids.emplace_back(id.as_string());
    }
  } catch (const std::exception& e) {
    return Error(ErrorCode::kValidation,
                 std::string("malformed brand_report payload: ") + e.what());
  }
  regions_requested_ = config_ids.size();
  const std::string& tenant = ctx_.job().tenant_id;
  RAPPORT_TRY(schedule_, stores_.schedules.GetScheduledReport(tenant, schedule_id_));
  RAPPORT_TRY(brand_, stores_.brands.GetBrand(tenant, schedule_.brand_id));
  brand_entity_ = EntityOf(brand_);
  for (const auto& c : brand_.competitors) competitors_.push_back(Entity{c.name, c.aliases});
  // The judge compares answers with the facts when both the facts and a judge exist.
  if (auto facts = stores_.brands.GetBrandFacts(tenant, brand_.id); facts.ok())
    facts_ = facts->body;
  judge_ = settings_.For(settings_.judge_platform);
  judging_ = !facts_.empty() && judge_.has_value();
  return LoadWork(config_ids);
}

Status BrandRun::LoadWork(const std::vector<std::string>& config_ids) {
  const std::string& tenant = ctx_.job().tenant_id;
  std::vector<std::string> unconfigured;
  for (const auto& id : config_ids) {
    auto config = stores_.configs.GetRegionConfig(tenant, id);
    if (!config.ok()) continue;  // deleted since: nothing to report for it
    RAPPORT_TRY(Page<Prompt> prompts,
                stores_.prompts.ListPrompts(tenant, id, PageRequest{.limit = 100}));
    int samples = std::clamp(config->samples_per_prompt.value_or(schedule_.samples_per_prompt), 1,
                             kMaxSamplesPerPrompt);
    Work w{*config, {}, samples, SystemPrompt(*config)};
    for (auto& p : prompts.items) {
      if (p.is_enabled) w.prompts.push_back(std::move(p));
    }
    std::reverse(w.prompts.begin(), w.prompts.end());  // oldest first, as entered
    for (const auto& platform : w.config.ai_platforms) {
      if (!settings_.For(platform) &&
          std::find(unconfigured.begin(), unconfigured.end(), platform) == unconfigured.end()) {
        unconfigured.push_back(platform);
      }
    }
    work_.push_back(std::move(w));
  }
  if (unconfigured.empty()) return Ok{};
  std::string list;
  for (const auto& p : unconfigured) list += (list.empty() ? "" : ", ") + p;
  return Error(ErrorCode::kValidation,
               "No answer engine is configured for platform(s) " + list +
                   ": map them in llm.platforms or set RAPPORT_LLM_BASE_URL");
}

// The units of the run, held against the call and token budgets.
Status BrandRun::Plan() {
  RunEstimate estimate;
  for (size_t wi = 0; wi < work_.size(); ++wi) {
    const Work& w = work_[wi];
    for (const auto& prompt : w.prompts) {
      AddToEstimate(estimate, prompt.prompt_text,
                    w.samples * static_cast<int64_t>(w.config.ai_platforms.size()), judging_,
                    facts_.size());
      for (const auto& platform : w.config.ai_platforms) {
        for (int sample = 1; sample <= w.samples; ++sample) {
          units_.push_back(Unit{{ctx_.job().id, w.config.id, prompt.id, platform, sample},
                                wi,
                                &prompt,
                                *settings_.For(platform)});
        }
      }
    }
  }
  auto calls = static_cast<int64_t>(units_.size()) * (judging_ ? 2 : 1);
  if (calls > settings_.max_calls_per_run) {
    return Error(ErrorCode::kValidation, "The run needs up to " + std::to_string(calls) +
                                             " calls, more than the budget of " +
                                             std::to_string(settings_.max_calls_per_run) +
                                             " (llm.max_calls_per_run)");
  }
  if (settings_.max_tokens_per_run > 0 && estimate.tokens > settings_.max_tokens_per_run) {
    return Error(ErrorCode::kValidation,
                 "The run is estimated at " + std::to_string(estimate.tokens) +
                     " tokens, more than llm.max_tokens_per_run (" +
                     std::to_string(settings_.max_tokens_per_run) + ")",
                 json::object{{"estimated_tokens", estimate.tokens}});
  }
  return Ok{};
}

bool BrandRun::NeedsJudgement(const BrandAnswer& a) const {
  return judging_ && IsAnswered(a) && !a.judgement &&
         ScoreAnswer(a.answer, brand_entity_, competitors_).brand_appears;
}

LlmMessage BrandRun::JudgeQuestion(const std::string& answer) const {
  return LlmMessage{JudgeSystemPrompt(),
                    "Brand: " + brand_.name + "\nFacts: " + facts_ + "\nAnswer:\n" + answer};
}

// What earlier attempts of this job already paid for is kept; the rest is queued. Tags: the
// unit's index * 2, + 1 for its judgement.
Status BrandRun::Resume(LlmBatch& batch) {
  RAPPORT_TRY(std::vector<BrandAnswer> rows, stores_.answers.ListBrandAnswers(ctx_.job().id));
  for (auto& a : rows) {
    tokens_used_ +=
        a.prompt_tokens + a.completion_tokens + a.judge_prompt_tokens + a.judge_completion_tokens;
    stored_[a.key] = std::move(a);
  }
  for (size_t i = 0; i < units_.size(); ++i) {
    const Unit& u = units_[i];
    auto it = stored_.find(u.key);
    if (it == stored_.end() || (!IsAnswered(it->second) && it->second.retryable)) {
      batch.Submit(2 * i, u.endpoint,
                   LlmMessage{work_[u.work].system_prompt, u.prompt->prompt_text});
    } else if (NeedsJudgement(it->second)) {
      batch.Submit(2 * i + 1, *judge_, JudgeQuestion(it->second.answer));
    } else {
      ++done_;
    }
  }
  return Ok{};
}

Status BrandRun::Ask() {
  LlmBatch batch = client_.NewBatch();
  RAPPORT_CHECK(Resume(batch));
  auto stopped = [] { return Error(ErrorCode::kConflict, "stopped"); };
  auto total = static_cast<int64_t>(units_.size());
  if (!ctx_.Progress("asking", "Asking the answer engines", done_, total)) return stopped();
  // Between replies the lease is renewed (and a cancellation seen) at least twice a second.
  auto last_beat = std::chrono::steady_clock::now();
  auto tick = [&] {
    auto now = std::chrono::steady_clock::now();
    if (now - last_beat >= std::chrono::milliseconds(500)) {
      ctx_.Heartbeat();
      last_beat = now;
    }
  };
  bool finished =
      batch.Run([&](uint64_t tag, LlmReply reply) { OnReply(batch, tag, std::move(reply)); },
                [&] { return fatal_.has_value() || lease_lost_ || ctx_.ShouldStop(); }, tick);
  if (fatal_) return *fatal_;
  if (lease_lost_ || !finished) return stopped();
  return Ok{};
}

// A store write that failed: a lost lease stops the run quietly, anything else ends it.
bool BrandRun::Keep(const Status& written) {
  if (written.ok()) return true;
  if (written.error().code() == ErrorCode::kConflict) {
    lease_lost_ = true;
  } else {
    fatal_ = written.error();
  }
  return false;
}

void BrandRun::OnReply(LlmBatch& batch, uint64_t tag, LlmReply reply) {
  if (fatal_ || lease_lost_) return;
  const Unit& u = units_[tag / 2];
  bool judgement = tag % 2 == 1;
  if (reply.outcome == LlmOutcome::kPlatformDown) {
    std::string who =
        judgement ? "the judge (" + settings_.judge_platform + ", model " + judge_->model + ")"
                  : u.key.platform + " (model " + u.endpoint.model + ")";
    fatal_ = Error(ErrorCode::kValidation, who + " cannot answer: " + reply.error);
    return;
  }
  tokens_used_ += reply.prompt_tokens + reply.completion_tokens;
  if (judgement) {
    OnJudgement(u, std::move(reply));
  } else {
    OnAnswer(batch, tag, u, std::move(reply));
  }
  if (fatal_ || lease_lost_) return;
  if (settings_.max_tokens_per_run > 0 && tokens_used_ > settings_.max_tokens_per_run) {
    fatal_ = Error(ErrorCode::kValidation, "The run stopped after using " +
                                               std::to_string(tokens_used_) +
                                               " tokens, more than llm.max_tokens_per_run (" +
                                               std::to_string(settings_.max_tokens_per_run) + ")");
    return;
  }
  (void)ctx_.Progress("asking", work_[u.work].config.name + ": " + u.key.platform, done_,
                      static_cast<int64_t>(units_.size()));
}

void BrandRun::OnAnswer(LlmBatch& batch, uint64_t tag, const Unit& u, LlmReply reply) {
  BrandAnswer a;
  a.key = u.key;
  a.tenant_id = ctx_.job().tenant_id;
  bool answered = reply.outcome == LlmOutcome::kAnswered;
  a.status = answered ? "answered" : "failed";
  a.retryable = reply.outcome == LlmOutcome::kUnavailable;
  a.error = answered ? "" : reply.error;
  a.model = u.endpoint.model;
  a.answer = reply.text;
  a.sources = SourcesJson(reply.sources);
  a.latency_ms = reply.latency_ms;
  a.prompt_tokens = reply.prompt_tokens;
  a.completion_tokens = reply.completion_tokens;
  a.created_at = clock_.NowMs();
  if (!Keep(stores_.answers.PutBrandAnswer(a, ctx_.worker_id()))) return;
  bool judge_it = NeedsJudgement(a);
  BrandAnswer& kept = stored_[u.key] = std::move(a);
  if (judge_it) {
    batch.Submit(tag + 1, *judge_, JudgeQuestion(kept.answer));
  } else {
    ++done_;
  }
}

void BrandRun::OnJudgement(const Unit& u, LlmReply reply) {
  if (reply.outcome == LlmOutcome::kUnavailable) {
    // Not stored: the answer goes unjudged in this attempt's reports, and an attempt after this
    // one (if any) asks the judge again.
    ++done_;
    return;
  }
  json::object verdict;
  std::optional<std::vector<JudgedClaim>> claims;
  if (reply.outcome == LlmOutcome::kAnswered) claims = ParseJudgement(reply.text);
  if (claims) {
    json::array list;
    for (const auto& c : *claims) {
      list.push_back(json::object{{"claim", c.claim}, {"verdict", c.verdict}});
    }
    verdict["claims"] = std::move(list);
  } else {
    verdict["error"] = reply.outcome == LlmOutcome::kAnswered
                           ? "the judge's reply was not the claims JSON"
                           : reply.error;
  }
  std::string text = ToJson(verdict);
  if (!Keep(stores_.answers.PutBrandJudgement(u.key, text, reply.prompt_tokens,
                                              reply.completion_tokens, ctx_.worker_id()))) {
    return;
  }
  BrandAnswer& a = stored_[u.key];
  a.judgement = std::move(text);
  a.judge_prompt_tokens = reply.prompt_tokens;
  a.judge_completion_tokens = reply.completion_tokens;
  ++done_;
}

// A platform whose answers failed beyond the share sinks the run; a transient cause (the
// provider unavailable) leaves it to a later attempt, which asks those answers again.
Status BrandRun::CheckFailures() const {
  struct Failures {
    int64_t asked = 0, failed = 0;
    bool transient = false;
    std::string last_reason;
  };
  std::map<std::string, Failures> failures;
  for (const auto& u : units_) {
    Failures& f = failures[u.key.platform];
    ++f.asked;
    const BrandAnswer& a = stored_.at(u.key);
    if (IsAnswered(a)) continue;
    ++f.failed;
    f.transient = f.transient || a.retryable;
    f.last_reason = a.error;
  }
  for (const auto& [platform, f] : failures) {
    auto asked = static_cast<double>(f.asked);
    if (static_cast<double>(f.failed) <= settings_.max_failed_share * asked) continue;
    std::string message = platform + ": " + std::to_string(f.failed) + " of " +
                          std::to_string(f.asked) + " answers failed (" +
                          Percent(static_cast<double>(f.failed) / asked) +
                          ", more than llm.max_failed_share " +
                          Percent(settings_.max_failed_share) + "); last reason: " + f.last_reason;
    if (f.transient) {
      return Error(ErrorCode::kServiceUnavailable, message, json::object{{"retry_after", 60}});
    }
    return Error(ErrorCode::kValidation, message);
  }
  return Ok{};
}

}  // namespace rapport
