// SqlStoreCore: tenants' branding (WhiteLabelStore), one `white_labels` row per tenant.
#include "sql_store_impl.hpp"

namespace rapport::sql {

Result<WhiteLabel> SqlStoreCore::GetWhiteLabel(const std::string& tenant_id) {
  return ReadRow<WhiteLabel>("White-label", [&](Connection& c) -> std::optional<WhiteLabel> {
    auto q = c.Prepare(
        "SELECT name, accent_color, logo_content_type, logo, updated_at FROM white_labels "
        "WHERE tenant_id = ?1");
    q.Bind(1, tenant_id);
    if (!q.Step()) return std::nullopt;
    return WhiteLabel{.tenant_id = tenant_id,
                      .name = q.OptionalText(0),
                      .accent_color = q.OptionalText(1),
                      .logo_content_type = q.Text(2),
                      .logo = q.Blob(3),
                      .updated_at = q.Int(4)};
  });
}

Status SqlStoreCore::PutWhiteLabel(const WhiteLabel& label) {
  return WriteTxn([&](Connection& c) {
    c.Prepare(
         "INSERT INTO white_labels (tenant_id, name, accent_color, logo_content_type, logo, "
         "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
         "ON CONFLICT (tenant_id) DO UPDATE SET name = ?2, accent_color = ?3, "
         "logo_content_type = ?4, logo = ?5, updated_at = ?6")
        .Bind(1, label.tenant_id)
        .Bind(2, label.name)
        .Bind(3, label.accent_color)
        .Bind(4, label.logo_content_type)
        .BindBlob(5, label.logo)
        .Bind(6, label.updated_at)
        .Run();
  });
}

}  // namespace rapport::sql
