#include <rapport/brand/brand_facts_job.hpp>

#include <rapport/brand/visibility_service.hpp>
#include <rapport/core/json.hpp>

#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;

constexpr const char* kResearchPrompt =
    "You research companies. Reply with JSON only, an object with whichever of these fields you "
    "know: description, industry, company_size, founded_year (integer), headquarters, "
    "key_facts (array of strings), key_people (array of {name, title}), products (array of "
    "{name, description}), services (array of {name, description}), mission_statement, "
    "tagline, value_proposition. Leave out what you do not know.";

}  // namespace

Status BrandFactsJob::MarkFailed(const std::string& tenant_id, const std::string& brand_id) {
  auto facts = store_.GetBrandFacts(tenant_id, brand_id);
  if (!facts.ok()) return facts.error();
  facts->research_status = "failed";
  facts->updated_at = clock_.NowMs();
  return store_.PutBrandFacts(*facts);
}

Result<JobOutcome> BrandFactsJob::Run(JobContext& ctx) {
  const Job& job = ctx.job();
  std::string brand_id;
  try {
    brand_id = json::parse(job.payload).at("brand_id").as_string();
  } catch (const std::exception& e) {
    return Error(ErrorCode::kValidation, std::string("malformed brand_facts payload: ") + e.what());
  }
  RAPPORT_TRY(Brand brand, store_.GetBrand(job.tenant_id, brand_id));
  auto endpoint = client_.settings().For(client_.settings().judge_platform);
  if (!endpoint) {
    (void)MarkFailed(job.tenant_id, brand_id);
    return Error(ErrorCode::kValidation, "No answer engine is configured for platform " +
                                             client_.settings().judge_platform +
                                             " (llm.judge_platform), which researches facts");
  }
  if (!ctx.Progress("researching", "Asking " + endpoint->model, 0, 1)) {
    return Error(ErrorCode::kConflict, "stopped");
  }
  std::string question = "Brand: " + brand.name + "\nWebsite: " + brand.website;
  if (brand.country) question += "\nCountry: " + *brand.country;
  auto reply = client_.Ask(*endpoint, LlmMessage{kResearchPrompt, question},
                           [&ctx] { return ctx.ShouldStop(); });
  if (!reply.ok()) {
    if (reply.error().code() != ErrorCode::kServiceUnavailable) {
      (void)MarkFailed(job.tenant_id, brand_id);
    }
    return reply.error();
  }
  auto researched = ExtractJsonObject(*reply);
  if (!researched) {
    (void)MarkFailed(job.tenant_id, brand_id);
    return Error(ErrorCode::kValidation, "The answer engine did not reply with a JSON object");
  }
  // Merge into the facts as they are now (a PATCH may have landed meanwhile).
  BrandFacts facts;
  if (auto current = store_.GetBrandFacts(job.tenant_id, brand_id); current.ok()) {
    facts = *current;
  } else {
    facts = BrandFacts{brand_id, job.tenant_id, "{}", "pending", 0};
  }
  json::value body = json::parse(facts.body);
  int taken = MergeResearchedFacts(body.as_object(), *researched);
  facts.body = ToJson(body);
  facts.research_status = "completed";
  facts.updated_at = clock_.NowMs();
  RAPPORT_CHECK(store_.PutBrandFacts(facts));
  JobOutcome outcome;
  outcome.result = json::object{{"brand_id", brand_id}, {"fields_updated", taken}};
  return outcome;
}

}  // namespace rapport
