// What the webhook and e-mail deliveries share: the job that performs a delivery and the JSON of
// their attempt logs.
#pragma once

#include <rapport/core/time.hpp>
#include <rapport/store/records.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>

namespace rapport {

// A stored attempt log (JSON array of {at: unix ms, status, …}) with `at` as RFC 3339; an
// unreadable log reads as empty.
boost::json::array AttemptLog(const std::string& text);

// A pending job of `kind` ("webhook_delivery" | "email_delivery") that performs delivery
// `delivery_id`, runnable now.
Job DeliveryJob(const std::string& tenant_id, const char* kind, int max_attempts,
                const std::string& delivery_id, UnixMs now);

// The fields both delivery kinds share, as JSON (`object` names the kind); the caller adds what
// identifies the target and its reply code.
template <class Delivery>
boost::json::object DeliveryJson(const Delivery& d, const char* object) {
  namespace json = boost::json;
  auto optional = [](const auto& v) { return v ? json::value(*v) : json::value(nullptr); };
  return json::object{
      {"id", d.id},
      {"object", object},
      {"job_id", d.job_id},
      {"status", d.status},
      {"attempts", d.attempts},
      {"error", d.error.empty() ? json::value(nullptr) : json::value(d.error)},
      {"redelivery_of", optional(d.redelivery_of)},
      {"created_at", FormatRfc3339(d.created_at)},
      {"updated_at", FormatRfc3339(d.updated_at)},
      {"delivered_at", d.delivered_at ? json::value(FormatRfc3339(*d.delivered_at)) : nullptr},
      {"attempt_log", AttemptLog(d.attempt_log)}};
}

// `original` as a new pending delivery `id` performed by job `job_id`: attempts, outcome and log
// cleared, `redelivery_of` set. The caller clears its own reply-code field.
template <class Delivery>
Delivery Redelivery(const Delivery& original, std::string id, std::string job_id, UnixMs now) {
  Delivery d = original;
  d.id = std::move(id);
  d.job_id = std::move(job_id);
  d.status = "pending";
  d.attempts = 0;
  d.error.clear();
  d.created_at = d.updated_at = now;
  d.delivered_at.reset();
  d.redelivery_of = original.id;
  d.attempt_log = "[]";
  return d;
}

// Counts one delivery attempt for /metrics: rapport_deliveries_total{channel, outcome} with
// outcome "succeeded", "pending" (to be retried) or "failed".
void CountDeliveryAttempt(const std::string& channel, const std::string& outcome);

}  // namespace rapport
