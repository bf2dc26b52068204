#include <rapport/sla/sla_kind.hpp>

#include <rapport/sla/sla_report.hpp>
#include <rapport/sla/sla_scheduler.hpp>

namespace rapport {
namespace {

class SlaKind final : public ReportKind {
 public:
  SlaKind(Store& store, const Clock& clock, bool email_enabled, int64_t grace_ms)
      : store_(store),
        clock_(clock),
        email_enabled_(email_enabled),
        scheduler_(store, clock, {.grace_ms = grace_ms}) {}

  std::string Name() const override { return "sla"; }
  void RegisterJobs(JobRegistry& registry) override {
    registry.Register(std::string(kSlaReportJobKind),
                      std::make_shared<SlaReportJob>(store_, clock_, email_enabled_));
  }
  Result<int64_t> FireDueSchedules() override { return scheduler_.Tick(); }

 private:
  Store& store_;
  const Clock& clock_;
  bool email_enabled_;
  SlaScheduler scheduler_;
};

}  // namespace

std::unique_ptr<ReportKind> MakeSlaKind(Store& store, const Clock& clock, bool email_enabled,
                                        int64_t grace_ms) {
  return std::make_unique<SlaKind>(store, clock, email_enabled, grace_ms);
}

}  // namespace rapport
