// SlaScheduleService::Preview: the next runs of a schedule body before it is saved (the
// console's schedule editor; the CLI's `rapport schedule preview --sla` computes the same).
#include <rapport/sla/sla_schedule_service.hpp>

namespace rapport {

Result<std::vector<PlannedRun>> SlaScheduleService::Preview(const std::string& tenant_id,
                                                            const boost::json::object& body,
                                                            int count) {
  RAPPORT_TRY(SlaScheduleSpec spec, Validate(tenant_id, body));
  if (!spec.daily && !spec.weekly && !spec.monthly) {
    return Error::FromProblems(
        ErrorCode::kBodyValidation,
        {{"body", "at least one of daily, weekly, monthly must be true to have runs",
          "cadence_missing"}});
  }
  return PreviewSla(CadenceOf(spec), clock_.NowMs(), count);
}

}  // namespace rapport
