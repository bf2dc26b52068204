// Slack and Teams messages from a report's summary (see channels.hpp).
#include <rapport/core/json.hpp>
#include <rapport/delivery/channels.hpp>

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>

namespace rapport {
namespace {

namespace json = boost::json;

constexpr size_t kSlackHeaderMax = 150;
constexpr size_t kSlackTextMax = 3000;
constexpr size_t kSlackFieldsPerBlock = 10;
constexpr size_t kFactsPerSection = 20;

// `s` cut to at most `max` bytes on a UTF-8 boundary, with "…" when cut.
std::string Clip(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  size_t end = max - 3;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end) + "\xE2\x80\xA6";
}

// Slack's mrkdwn escapes: the three characters its markup is made of.
std::string SlackEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
  return out;
}

// The section's facts, at most kFactsPerSection, then "and N more".
std::vector<ChannelFact> Shown(const ChannelSection& section) {
  std::vector<ChannelFact> out(
      section.facts.begin(), section.facts.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                         section.facts.size(), kFactsPerSection)));
  if (section.facts.size() > kFactsPerSection) {
    out.push_back({"…", "and " + std::to_string(section.facts.size() - kFactsPerSection) +
                            " more in the report"});
  }
  return out;
}

json::object PlainText(const std::string& text) {
  return {{"type", "plain_text"}, {"text", text}, {"emoji", false}};
}

json::object Mrkdwn(const std::string& text) { return {{"type", "mrkdwn"}, {"text", text}}; }

// The section's heading block and its facts as fields, ten a block.
void AddSlackSection(json::array& blocks, const ChannelSection& section) {
  std::vector<ChannelFact> facts = Shown(section);
  json::array fields;
  auto flush = [&](bool with_heading) {
    json::object block{{"type", "section"}};
    if (with_heading) block["text"] = Mrkdwn(Clip("*" + SlackEscape(section.heading) + "*", 3000));
    if (!fields.empty()) block["fields"] = std::move(fields);
    blocks.push_back(std::move(block));
    fields = json::array{};
  };
  bool first = true;
  for (const auto& f : facts) {
    fields.push_back(Mrkdwn(Clip("*" + SlackEscape(f.name) + "*\n" + SlackEscape(f.value), 2000)));
    if (fields.size() == kSlackFieldsPerBlock) {
      flush(first && !section.heading.empty());
      first = false;
    }
  }
  if (!fields.empty() || first) flush(first && !section.heading.empty());
}

json::object TextBlock(const std::string& text, bool bold = false) {
  json::object block{{"type", "TextBlock"}, {"text", text}, {"wrap", true}};
  if (bold) block["weight"] = "Bolder";
  return block;
}

}  // namespace

bool IsWebhookFormat(std::string_view format) {
  return std::find(std::begin(kWebhookFormats), std::end(kWebhookFormats), format) !=
         std::end(kWebhookFormats);
}

bool IsChatFormat(std::string_view format) { return format == "slack" || format == "teams"; }

ChannelSummary GenericSummary(const Event& event, const json::object& data) {
  ChannelSummary out;
  out.title = "Rapport: " + event.type;
  out.text = "Event " + event.type + " at " + FormatRfc3339(event.created_at) + ".";
  ChannelSection details{.heading = "Details", .facts = {}};
  for (const auto& [key, value] : data) {
    if (value.is_string()) {
      details.facts.push_back({std::string(key), std::string(value.get_string())});
    } else if (value.is_number() || value.is_bool()) {
      details.facts.push_back({std::string(key), json::serialize(value)});
    }
  }
  if (!details.facts.empty()) out.sections.push_back(std::move(details));
  if (const auto* url = data.if_contains("report_url"); url && url->is_string()) {
    out.link = std::string(url->get_string());
  }
  return out;
}

std::string AbsoluteLink(const std::string& link, const std::string& public_url) {
  if (link.empty() || link.find("://") != std::string::npos) return link;
  std::string base = public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + (link.front() == '/' ? "" : "/") + link;
}

std::string RenderSlackMessage(const ChannelSummary& summary, const std::string& public_url) {
  std::string link = AbsoluteLink(summary.link, public_url);
  json::array blocks;
  blocks.push_back({{"type", "header"}, {"text", PlainText(Clip(summary.title, kSlackHeaderMax))}});
  if (!summary.text.empty()) {
    blocks.push_back(
        {{"type", "section"}, {"text", Mrkdwn(Clip(SlackEscape(summary.text), kSlackTextMax))}});
  }
  for (const auto& section : summary.sections) AddSlackSection(blocks, section);
  if (!link.empty()) {
    blocks.push_back({{"type", "context"},
                      {"elements", json::array{Mrkdwn("<" + link + "|" +
                                                      SlackEscape(summary.link_label) + ">")}}});
  }
  std::string fallback = summary.title + (summary.text.empty() ? "" : ": " + summary.text);
  if (!link.empty()) fallback += " " + link;
  return ToJson(
      json::object{{"text", Clip(fallback, kSlackTextMax)}, {"blocks", std::move(blocks)}});
}

std::string RenderTeamsMessage(const ChannelSummary& summary, const std::string& public_url) {
  std::string link = AbsoluteLink(summary.link, public_url);
  json::array body;
  json::object title = TextBlock(summary.title, true);
  title["size"] = "Medium";
  body.push_back(std::move(title));
  if (!summary.text.empty()) body.push_back(TextBlock(summary.text));
  for (const auto& section : summary.sections) {
    if (!section.heading.empty()) body.push_back(TextBlock(section.heading, true));
    json::array facts;
    for (const auto& f : Shown(section)) facts.push_back({{"title", f.name}, {"value", f.value}});
    if (!facts.empty()) body.push_back({{"type", "FactSet"}, {"facts", std::move(facts)}});
  }
  json::object card{{"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
                    {"type", "AdaptiveCard"},
                    {"version", "1.4"},
                    {"body", std::move(body)}};
  if (!link.empty()) {
    card["actions"] = json::array{
        json::object{{"type", "Action.OpenUrl"}, {"title", summary.link_label}, {"url", link}}};
  }
  json::object attachment{{"contentType", "application/vnd.microsoft.card.adaptive"},
                          {"contentUrl", nullptr},
                          {"content", std::move(card)}};
  return ToJson(
      json::object{{"type", "message"}, {"attachments", json::array{std::move(attachment)}}});
}

std::string RedactWebhookUrl(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return "(unparsable URL)";
  std::string out = std::string(parsed->scheme()) + "://" + std::string(parsed->encoded_host());
  auto segments = parsed->encoded_segments();
  if (!segments.empty()) out += "/" + std::string(*segments.begin());
  if (segments.size() > 1 || parsed->has_query()) out += "/...";
  return out;
}

}  // namespace rapport
