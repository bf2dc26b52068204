#include <rapport/brand/brand_kind.hpp>

#include <rapport/brand/brand_facts_job.hpp>
#include <rapport/brand/brand_report.hpp>
#include <rapport/brand/brand_scheduler.hpp>
#include <rapport/brand/visibility_service.hpp>

namespace rapport {
namespace {

class BrandKind final : public ReportKind {
 public:
  BrandKind(Store& store, const Clock& clock, LlmClient llm, int64_t grace_ms)
      : store_(store), clock_(clock), llm_(std::move(llm)), scheduler_(store, clock, grace_ms) {}

  std::string Name() const override { return "brand"; }
  void RegisterJobs(JobRegistry& registry) override {
    registry.Register(std::string(kBrandReportJobKind),
                      std::make_shared<BrandReportJob>(store_, clock_, llm_));
    registry.Register(std::string(kBrandFactsJobKind),
                      std::make_shared<BrandFactsJob>(store_, clock_, llm_));
  }
  Result<int64_t> FireDueSchedules() override { return scheduler_.Tick(); }

 private:
  Store& store_;
  const Clock& clock_;
  LlmClient llm_;
  BrandScheduler scheduler_;
};

}  // namespace

std::unique_ptr<ReportKind> MakeBrandKind(Store& store, const Clock& clock, LlmClient llm,
                                          int64_t grace_ms) {
  return std::make_unique<BrandKind>(store, clock, std::move(llm), grace_ms);
}

}  // namespace rapport
