#include <rapport/delivery/channels.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace rapport {
namespace {

namespace json = boost::json;

ChannelSummary Sample() {
  ChannelSummary s;
  s.title = "SLA breached: 1 site in Weekly <Lisbon>";
  s.text = "Overall uptime 87.5 % & falling";
  s.sections.push_back({"Breached sites", {{"Lisbon", "87.5 %"}}});
  s.link = "/#/reports/sla/rpt_1";
  return s;
}

TEST(Channels, SlackMessageHasFallbackTextBlocksAndAbsoluteLink) {
  json::value m = json::parse(RenderSlackMessage(Sample(), "https://r.example.com/"));
  EXPECT_NE(m.at("text").as_string().find("https://r.example.com/#/reports/sla/rpt_1"),
            json::string::npos);
  const auto& blocks = m.at("blocks").as_array();
  EXPECT_EQ(blocks.at(0).at("type"), "header");
  EXPECT_EQ(blocks.at(0).at("text").at("type"), "plain_text");
  // mrkdwn escapes its three markup characters.
  EXPECT_EQ(blocks.at(1).at("text").at("text"), "Overall uptime 87.5 % &amp; falling");
  EXPECT_EQ(blocks.at(2).at("fields").at(0).at("text"), "*Lisbon*\n87.5 %");
  EXPECT_EQ(blocks.back().at("elements").at(0).at("text"),
            "<https://r.example.com/#/reports/sla/rpt_1|Open the report>");
}

TEST(Channels, SlackFieldsAreTenABlockAndSectionsCapped) {
  ChannelSummary s;
  s.title = std::string(300, 'x');
  ChannelSection many{"Sites", {}};
  for (int i = 0; i < 25; ++i) many.facts.push_back({"site " + std::to_string(i), "1 %"});
  s.sections.push_back(many);
  json::value m = json::parse(RenderSlackMessage(s, ""));
  const auto& blocks = m.at("blocks").as_array();
  EXPECT_LE(blocks.at(0).at("text").at("text").as_string().size(), 150u);
  size_t fields = 0;
  for (const auto& b : blocks) {
    if (const auto* f = b.as_object().if_contains("fields")) {
      EXPECT_LE(f->as_array().size(), 10u);
      fields += f->as_array().size();
    }
  }
  EXPECT_EQ(fields, 21u);  // 20 sites and "and 5 more"
}

TEST(Channels, TeamsMessageIsOneAdaptiveCardAttachment) {
  json::value m = json::parse(RenderTeamsMessage(Sample(), "https://r.example.com"));
  EXPECT_EQ(m.at("type"), "message");
  const auto& a = m.at("attachments").at(0);
  EXPECT_EQ(a.at("contentType"), "application/vnd.microsoft.card.adaptive");
  EXPECT_TRUE(a.at("contentUrl").is_null());
  const auto& card = a.at("content");
  EXPECT_EQ(card.at("type"), "AdaptiveCard");
  EXPECT_EQ(card.at("version"), "1.4");
  EXPECT_EQ(card.at("body").at(0).at("text"), "SLA breached: 1 site in Weekly <Lisbon>");
  EXPECT_EQ(card.at("body").at(3).at("type"), "FactSet");
  EXPECT_EQ(card.at("body").at(3).at("facts").at(0).at("title"), "Lisbon");
  EXPECT_EQ(card.at("actions").at(0).at("url"), "https://r.example.com/#/reports/sla/rpt_1");
}

TEST(Channels, RedactedUrlKeepsHostAndFirstSegmentOnly) {
  EXPECT_EQ(RedactWebhookUrl("https://hooks.slack.com/services/T1/B2/secret"),
            "https://hooks.slack.com/services/...");
  EXPECT_EQ(RedactWebhookUrl("https://x.logic.azure.com:443/workflows/abc?sig=secret"),
            "https://x.logic.azure.com/workflows/...");
  EXPECT_EQ(RedactWebhookUrl("not a url"), "(unparsable URL)");
}

TEST(Channels, GenericSummaryListsScalarDataAndLinksTheReport) {
  Event e{"evt_1", "t1", "schedule.run.missed", "{}", 0};
  ChannelSummary s = GenericSummary(e, {{"schedule_id", "sch_1"},
                                        {"n", 3},
                                        {"list", json::array{}},
                                        {"report_url", "/reports/sla/reports/rpt_1"}});
  EXPECT_EQ(s.title, "Rapport: schedule.run.missed");
  ASSERT_EQ(s.sections.size(), 1u);
  EXPECT_EQ(s.sections[0].facts.size(), 3u);
  EXPECT_EQ(s.link, "/reports/sla/reports/rpt_1");
  EXPECT_TRUE(IsWebhookFormat("teams"));
  EXPECT_FALSE(IsWebhookFormat("irc"));
}

}  // namespace
}  // namespace rapport
