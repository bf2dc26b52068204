// Fault data for SLA reports: /faults (one, bulk, CSV import, list, get, resolve),
// /business-hours and the Alertmanager, Grafana, Zabbix and Uptime Kuma webhooks. All in the
// /reports/sla error dialect.
#include <rapport/api/pagination.hpp>
#include <rapport/api/query.hpp>
#include "sla_routes.hpp"

namespace rapport::api {
namespace {

Result<FaultFilter> ReadFaultFilter(const RequestContext& ctx) {
  FaultFilter filter;
  auto text = [&](std::string_view name) -> std::optional<std::string> {
    auto v = ctx.Query(name);
    if (!v || v->empty()) return std::nullopt;
    return std::string(*v);
  };
  filter.resource_id = text("resource_id");
  filter.type = text("type");
  filter.severity = text("severity");
  if (filter.severity && *filter.severity != "LOW" && *filter.severity != "MEDIUM" &&
      *filter.severity != "HIGH" && *filter.severity != "CRITICAL") {
    return ParameterError("query.severity", "must be one of LOW, MEDIUM, HIGH, CRITICAL", "enum");
  }
  RAPPORT_TRY(filter.from, QueryInstant(ctx, "from"));
  RAPPORT_TRY(filter.to, QueryInstant(ctx, "to"));
  if (filter.from && filter.to && *filter.from >= *filter.to) {
    return ParameterError("query.from", "must be before to", "date_order");
  }
  return filter;
}

// POST /integrations/alertmanager and /integrations/grafana: alerts become faults of the site
// each source's label names.
void AddAlertRoutes(Router& router, FaultService& faults, AlertSiteLabels labels) {
  router.Add({.method = "POST",
              .pattern = "/integrations/alertmanager",
              .required_scope = "write:sla",
              .accepts_body = true,
              .handler = [&faults, label = std::move(labels.alertmanager)](
                             RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(boost::json::object summary,
                            faults.IngestAlertmanager(ctx.tenant(), ctx.body.as_object(), label));
                return Reply::Json(200, std::move(summary));
              }});
  router.Add({.method = "POST",
              .pattern = "/integrations/grafana",
              .required_scope = "write:sla",
              .accepts_body = true,
              .handler = [&faults,
                          label = std::move(labels.grafana)](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(boost::json::object summary,
                            faults.IngestGrafana(ctx.tenant(), ctx.body.as_object(), label));
                return Reply::Json(200, std::move(summary));
              }});
  router.Add(
      {.method = "POST",
       .pattern = "/integrations/zabbix",
       .required_scope = "write:sla",
       .accepts_body = true,
       .handler = [&faults, tag = std::move(labels.zabbix)](RequestContext& ctx) -> Result<Reply> {
         RAPPORT_TRY(boost::json::object summary,
                     faults.IngestZabbix(ctx.tenant(), ctx.body.as_object(), tag));
         return Reply::Json(200, std::move(summary));
       }});
  router.Add({.method = "POST",
              .pattern = "/integrations/uptime-kuma",
              .required_scope = "write:sla",
              .accepts_body = true,
              .handler = [&faults, field = std::move(labels.uptime_kuma)](
                             RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(boost::json::object summary,
                            faults.IngestUptimeKuma(ctx.tenant(), ctx.body.as_object(), field));
                return Reply::Json(200, std::move(summary));
              }});
}

// POST /faults/import: the raw body is CSV, not JSON.
Result<Reply> ImportFaults(FaultService& faults, RequestContext& ctx) {
  auto type = ctx.request.Header("content-type");
  std::string media(type ? type->substr(0, type->find(';')) : std::string_view());
  for (auto& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (media != "text/csv") {
    return ParameterError("header.Content-Type", "must be text/csv", "content_type");
  }
  RAPPORT_TRY(boost::json::object summary, faults.ImportCsv(ctx.tenant(), ctx.request.body));
  return Reply::Json(200, std::move(summary));
}

void AddBusinessHoursRoutes(Router& router, BusinessHoursService& hours) {
  router.Add({.method = "POST",
              .pattern = "/business-hours",
              .required_scope = "write:sla",
              .accepts_body = true,
              .handler = [&hours](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(BusinessHours h, hours.Create(ctx.tenant(), ctx.body.as_object()));
                return Reply::Json(201, BusinessHoursToJson(h));
              }});
  router.Add({.method = "GET",
              .pattern = "/business-hours",
              .required_scope = "read:sla",
              .handler = [&hours](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "sch", 50));
                RAPPORT_TRY(Page<BusinessHours> result, hours.List(ctx.tenant(), page));
                return Reply::Json(200, SlaList(result, BusinessHoursToJson));
              }});
  router.Add({.method = "GET",
              .pattern = "/business-hours/{id}",
              .required_scope = "read:sla",
              .handler = [&hours](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(BusinessHours h, hours.Get(ctx.tenant(), ctx.Param("id")));
                return Reply::Json(200, BusinessHoursToJson(h));
              }});
  router.Add({.method = "PUT",
              .pattern = "/business-hours/{id}",
              .required_scope = "write:sla",
              .accepts_body = true,
              .handler = [&hours](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(BusinessHours h,
                            hours.Replace(ctx.tenant(), ctx.Param("id"), ctx.body.as_object()));
                return Reply::Json(200, BusinessHoursToJson(h));
              }});
  router.Add({.method = "DELETE",
              .pattern = "/business-hours/{id}",
              .required_scope = "write:sla",
              .handler = [&hours](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_CHECK(hours.Delete(ctx.tenant(), ctx.Param("id")));
                return Reply::NoContent();
              }});
}

}  // namespace

void AddFaultRoutes(Router& router, FaultService& faults, BusinessHoursService& hours,
                    AlertSiteLabels site_labels) {
  router.Add({.method = "POST",
              .pattern = "/faults",
              .required_scope = "write:sla",
              .accepts_body = true,
              .handler = [&faults](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Fault f, faults.Create(ctx.tenant(), ctx.body.as_object()));
                return Reply::Json(201, FaultToJson(f));
              }});
  router.Add({.method = "POST",
              .pattern = "/faults/bulk",
              .required_scope = "write:sla",
              .accepts_body = true,
              .handler = [&faults](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(std::vector<Fault> created,
                            faults.CreateBulk(ctx.tenant(), ctx.body.as_object()));
                boost::json::array data;
                for (const auto& f : created) data.push_back(FaultToJson(f));
                boost::json::object meta{{"count", data.size()}};
                return Reply::Json(
                    201, boost::json::object{{"data", std::move(data)}, {"meta", std::move(meta)}});
              }});
  router.Add({.method = "POST",
              .pattern = "/faults/import",
              .required_scope = "write:sla",
              .handler = [&faults](RequestContext& ctx) { return ImportFaults(faults, ctx); }});
  router.Add({.method = "GET",
              .pattern = "/faults",
              .required_scope = "read:sla",
              .handler = [&faults](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(PageRequest page, ReadPageRequest(ctx, "flt", 50));
                RAPPORT_TRY(FaultFilter filter, ReadFaultFilter(ctx));
                RAPPORT_TRY(Page<Fault> result, faults.List(ctx.tenant(), filter, page));
                return Reply::Json(200, SlaList(result, FaultToJson));
              }});
  router.Add({.method = "GET",
              .pattern = "/faults/{fault_id}",
              .required_scope = "read:sla",
              .handler = [&faults](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Fault f, faults.Get(ctx.tenant(), ctx.Param("fault_id")));
                return Reply::Json(200, FaultToJson(f));
              }});
  router.Add({.method = "PATCH",
              .pattern = "/faults/{fault_id}",
              .required_scope = "write:sla",
              .accepts_body = true,
              .handler = [&faults](RequestContext& ctx) -> Result<Reply> {
                RAPPORT_TRY(Fault f, faults.Patch(ctx.tenant(), ctx.Param("fault_id"),
                                                  ctx.body.as_object()));
                return Reply::Json(200, FaultToJson(f));
              }});
  AddAlertRoutes(router, faults, std::move(site_labels));
  AddBusinessHoursRoutes(router, hours);
}

}  // namespace rapport::api
