// Chat channels: Slack incoming webhooks and Microsoft Teams Workflows webhooks as delivery
// endpoints (`WebhookEndpoint::format` "slack" / "teams"). An event becomes a `ChannelSummary`
// (built by the kind that owns the event, else a generic one), rendered once when the event is
// fanned out, so that every attempt and re-delivery sends the same bytes. The delivery module
// names no kind: a kind registers its summary builder on its `WebhookOwnerType`.
#pragma once

#include <rapport/store/records.hpp>

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace rapport {

// The endpoint formats: "signed" (the signed envelope), "slack", "teams".
inline constexpr std::string_view kWebhookFormats[] = {"signed", "slack", "teams"};
bool IsWebhookFormat(std::string_view format);
// True for the chat formats, whose URL is their secret (no HMAC signature is sent).
bool IsChatFormat(std::string_view format);

struct ChannelFact {
  std::string name;   // e.g. "Uptime"
  std::string value;  // e.g. "99.2 % (target 99.5 %)"
};

// A titled list of facts, e.g. "Breached sites" with one fact per site.
struct ChannelSection {
  std::string heading;
  std::vector<ChannelFact> facts;
};

// What a chat message says about one event: plain text, escaped by the renderers.
struct ChannelSummary {
  std::string title;  // e.g. "SLA report Weekly: 2 sites breached"
  std::string text;   // one or two sentences; also the notification fallback
  std::vector<ChannelSection> sections;
  // Where the report is: absolute, or a path the renderer joins to the server's public URL.
  std::string link;
  std::string link_label = "Open the report";
};

// The summary of an event no kind summarises: its type and the scalar fields of its data.
ChannelSummary GenericSummary(const Event& event, const boost::json::object& data);

// `link` made absolute against `public_url` (no trailing slash needed); "" stays "".
std::string AbsoluteLink(const std::string& link, const std::string& public_url);

// A Slack incoming-webhook message: {"text": fallback, "blocks": [header, section, fields…,
// context link]} within Slack's limits (header 150 characters, 10 fields a section).
std::string RenderSlackMessage(const ChannelSummary& summary, const std::string& public_url);
// A Teams Workflows ("Post to a channel when a webhook request is received") message:
// {"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
// "contentUrl": null, "content": AdaptiveCard 1.4 with TextBlocks, FactSets, Action.OpenUrl}]}.
std::string RenderTeamsMessage(const ChannelSummary& summary, const std::string& public_url);

// `url` without what makes it a secret: scheme, host and the first path segment, then "/..."
// (e.g. "https://hooks.slack.com/services/..."). For logs, errors and the endpoint's JSON.
std::string RedactWebhookUrl(const std::string& url);

}  // namespace rapport
