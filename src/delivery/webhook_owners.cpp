#include <rapport/delivery/webhooks.hpp>

#include <algorithm>

namespace rapport {
namespace {

bool Lists(const WebhookOwnerType& type, const std::string& event_type) {
  return std::find(type.events.begin(), type.events.end(), event_type) != type.events.end();
}

}  // namespace

void WebhookOwners::Add(WebhookOwnerType type) { types_.push_back(std::move(type)); }

const WebhookOwnerType* WebhookOwners::Find(std::string_view kind) const {
  for (const auto& type : types_) {
    if (type.kind == kind) return &type;
  }
  return nullptr;
}

std::optional<EventOwner> WebhookOwners::OwnerOf(const Event& event,
                                                 const boost::json::object& data) const {
  const WebhookOwnerType* tenant_wide = nullptr;
  for (const auto& type : types_) {
    if (!Lists(type, event.type)) continue;
    if (type.owner_field.empty()) {
      if (!tenant_wide) tenant_wide = &type;
      continue;
    }
    const auto* id = data.if_contains(type.owner_field);
    if (id && id->is_string()) return EventOwner{&type, std::string(id->get_string())};
  }
  if (tenant_wide) return EventOwner{tenant_wide, ""};
  return std::nullopt;
}

}  // namespace rapport
