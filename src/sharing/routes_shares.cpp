// Share links of one report family: POST and GET `<report>/shares`, DELETE (revoke)
// `<report>/shares/{id}`, and sharing a schedule's newest completed report.
#include "sharing_routes_internal.hpp"

#include "share_json.hpp"

#include <rapport/api/pagination.hpp>
#include <rapport/core/json.hpp>

namespace rapport::sharing {
namespace {

using api::Reply;
using api::RequestContext;

// `expires_in_days` of an optional body {expires_in_days?}; kBodyValidation naming the field.
Result<int> ReadExpiryDays(const RequestContext& ctx) {
  if (!ctx.body.is_object()) return kDefaultShareDays;
  BodyReader reader(ctx.body.as_object(), "body");
  reader.RejectUnknown({"expires_in_days"});
  auto days = reader.Int("expires_in_days", false, kMinShareDays, kMaxShareDays);
  if (!reader.ok()) return Error::FromProblems(ErrorCode::kBodyValidation, reader.problems());
  return static_cast<int>(days.value_or(kDefaultShareDays));
}

Result<Reply> CreateFor(const Env& env, const RequestContext& ctx, const Report& report) {
  RAPPORT_TRY(int days, ReadExpiryDays(ctx));
  RAPPORT_TRY(NewShare created,
              env.shares.Create(ctx.tenant(), report.id, ctx.principal.subject, days));
  return Reply::Json(201, NewShareToJson(created, env.public_url));
}

void AddCreateAndList(api::Router& router, const Env& env, const SharedReportKind& kind) {
  router.Add({.method = "POST",
              .pattern = kind.report_path + "/shares",
              .required_scope = kind.write_scope,
              .accepts_body = true,
              .body_optional = true,
              .secret_in_reply = true,  // the link's token: not kept for replays
              .handler = [&env, &kind](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report report, env.reports.Find(ctx.tenant(), kind.kind,
                                                            ctx.Param(kind.report_param)));
                return CreateFor(env, ctx, report);
              }});
  router.Add({.method = "GET",
              .pattern = kind.report_path + "/shares",
              .required_scope = kind.read_scope,
              .handler = [&env, &kind](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, api::ReadPageRequest(ctx, "shr", 20));
                RAPPORT_TRY(Report report, env.reports.Find(ctx.tenant(), kind.kind,
                                                            ctx.Param(kind.report_param)));
                RAPPORT_TRY(Page<Share> shares, env.shares.List(ctx.tenant(), report.id, page));
                return Reply::Json(200, kind.v1 ? api::V1List(shares, ShareToJson)
                                                : api::SlaList(shares, ShareToJson));
              }});
}

void AddRevoke(api::Router& router, const Env& env, const SharedReportKind& kind) {
  router.Add({.method = "DELETE",
              .pattern = kind.report_path + "/shares/{" + kind.share_param + "}",
              .required_scope = kind.write_scope,
              .handler = [&env, &kind](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report report, env.reports.Find(ctx.tenant(), kind.kind,
                                                            ctx.Param(kind.report_param)));
                RAPPORT_TRY(Share share, env.shares.Revoke(ctx.tenant(), report.id,
                                                           ctx.Param(kind.share_param)));
                return kind.v1 ? Reply::Json(200, ShareToJson(share)) : Reply::NoContent();
              }});
}

void AddScheduleShare(api::Router& router, const Env& env, const SharedReportKind& kind) {
  router.Add({.method = "POST",
              .pattern = kind.schedule_path,
              .required_scope = kind.schedule_scope,
              .accepts_body = true,
              .body_optional = true,
              .secret_in_reply = true,  // the link's token: not kept for replays
              .handler = [&env, &kind](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Report report,
                            kind.latest(ctx.tenant(), ctx.Param(kind.schedule_param)));
                return CreateFor(env, ctx, report);
              }});
}

}  // namespace

void AddShareRoutes(api::Router& router, const Env& env) {
  for (const auto& kind : env.kinds) {
    AddCreateAndList(router, env, kind);
    AddRevoke(router, env, kind);
    if (kind.latest) AddScheduleShare(router, env, kind);
  }
}

}  // namespace rapport::sharing
