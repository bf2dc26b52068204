// The brand visibility report's PDF: cover and KPIs (with the answers counted, failed and the
// samples per prompt), the visibility trend over runs, bars by platform (and each platform's
// answered and failed samples), by region (the run's other regions) and for share of voice, and
// accuracy against the brand's facts; then the sections of brand_pdf_answers.cpp: the prompts
// table, answer excerpts with their sources, and usage.
#include <rapport/render/format.hpp>
#include <rapport/render/pdf.hpp>

#include "brand_pdf_sections.hpp"
#include "page_flow.hpp"
#include "render_pass.hpp"
#include "report_json.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace rapport {
namespace render {
namespace {

namespace json = boost::json;
using namespace palette;

std::string Rate(std::optional<double> rate) { return BrandRate(rate); }

std::string Interval(const json::object& rate) {
  return fmt::format("95 % CI {}–{} %, n = {}", FormatNumber(Num(rate, "ci95_low").value_or(0), 1),
                     FormatNumber(Num(rate, "ci95_high").value_or(0), 1),
                     FormatCount(Int(rate, "n")));
}

std::string UtcMinute(const std::string& rfc3339) {
  auto instant = ParseRfc3339(rfc3339);
  return instant ? FormatLocalMinute(*instant, "UTC") + " UTC" : rfc3339;
}

// "1 prompt", "3 prompts".
std::string Counted(int64_t n, const std::string& noun) {
  return FormatCount(n) + " " + noun + (n == 1 ? "" : "s");
}

// "2 failed answers are left out of every rate: perplexity 2."; the count of platforms instead
// when the list would not fit the cover's line; empty when none failed.
std::string FailedAnswersLine(Canvas& canvas, const json::object& r) {
  int64_t failed = Int(r, "answers_failed");
  if (failed == 0) return "";
  std::string by_platform;
  int platforms = 0;
  for (const auto& p : Arr(r, "platforms")) {
    const json::object& row = AsObject(p);
    if (Int(row, "failed") == 0) continue;
    by_platform += fmt::format("{}{} {}", by_platform.empty() ? ": " : ", ", Str(row, "platform"),
                               FormatCount(Int(row, "failed")));
    ++platforms;
  }
  std::string answers = FormatCount(failed) + (failed == 1 ? " failed answer" : " failed answers");
  std::string line = fmt::format("{} {} left out of every rate{}.", answers,
                                 failed == 1 ? "is" : "are", by_platform);
  if (canvas.TextWidth(line, {.size = 9}) <= kContentWidth) return line;
  return fmt::format("{} on {} platform{} {} left out of every rate.", answers, platforms,
                     platforms == 1 ? "" : "s", failed == 1 ? "is" : "are");
}

// Methodology 2 reports say how many samples of each prompt were asked; version 1 did not.
bool Sampled(const json::object& r) { return r.contains("samples_per_prompt"); }

void BrandCover(Flow& flow, const json::object& r) {
  const json::object& region = Obj(r, "region");
  std::string where = Str(region, "name") + "  ·  country " + Str(region, "country") +
                      "  ·  language " + Str(region, "language");
  if (!Str(region, "location").empty()) where += "  ·  " + Str(region, "location");
  int64_t samples = Int(r, "samples_per_prompt");
  std::string answers =
      Sampled(r)
          ? fmt::format("{} counted from {}  ·  {} per prompt",
                        Counted(Int(r, "answers_count"), "answer"),
                        Counted(Int(r, "prompts_count"), "prompt"), Counted(samples, "sample"))
          : fmt::format("{} to {}", Counted(Int(r, "answers_count"), "answer"),
                        Counted(Int(r, "prompts_count"), "prompt"));
  std::vector<std::string> lines{
      "Region " + where,
      fmt::format("Generated {}  ·  {} run  ·  {}", UtcMinute(Str(r, "created_at")),
                  Str(r, "trigger") == "scheduled" ? "Scheduled" : "On-demand", answers),
      fmt::format("Report {}  ·  Run {}  ·  Methodology v{}", Str(r, "id"), Str(r, "batch_id"),
                  Int(r, "methodology_version"))};
  if (std::string failed = FailedAnswersLine(flow.canvas(), r); !failed.empty())
    lines.push_back(failed);
  Cover(flow, "BRAND VISIBILITY REPORT", Str(r, "brand_name"), lines);
}

const json::object* BrandShare(const json::object& r) {
  for (const auto& s : Arr(r, "share_of_voice")) {
    if (Bool(AsObject(s), "is_brand")) return &AsObject(s);
  }
  return nullptr;
}

Tile TrendTile(const json::object& r) {
  const json::array& trend = Arr(r, "trend");
  if (trend.size() < 2) return {"Change since the last run", "–", "first run of this region"};
  const json::object& last = AsObject(trend[trend.size() - 1]);
  const json::object& before = AsObject(trend[trend.size() - 2]);
  auto now = Num(last, "rate"), then = Num(before, "rate");
  if (!now || !then) return {"Change since the last run", "–", "no answers to compare"};
  double delta = *now - *then;
  return {"Change since the last run", (delta > 0 ? "+" : "") + FormatNumber(delta, 1) + " pts",
          "from " + Rate(then) + " on " + Str(before, "created_at").substr(0, 10),
          delta < 0   ? kBad
          : delta > 0 ? kGood
                      : kInk};
}

// Methodology 2: answers counted, failed answers and samples per prompt.
std::vector<Tile> AnswerTiles(const json::object& r) {
  int64_t counted = Int(r, "answers_count"), failed = Int(r, "answers_failed");
  int64_t samples = Int(r, "samples_per_prompt");
  return {
      {"Answers counted", FormatCount(counted),
       fmt::format("of {} asked; every rate counts these", FormatCount(counted + failed))},
      {"Failed answers", FormatCount(failed),
       failed == 0 ? "every answer counted" : "left out of every rate", failed > 0 ? kBad : kInk},
      {"Samples per prompt", std::to_string(samples),
       samples == 1 ? "one answer per prompt and platform"
                    : fmt::format("each prompt asked {}× per platform", samples)}};
}

void Kpis(Flow& flow, const json::object& r) {
  const json::object& visibility = Obj(r, "visibility");
  const json::object& accuracy = Obj(r, "accuracy");
  const json::object& accuracy_rate = Obj(accuracy, "accuracy");
  const json::object& sentiment = Obj(r, "sentiment");
  const json::object* share = BrandShare(r);
  std::optional<double> position = Num(r, "average_position");
  std::vector<Tile> tiles{
      {"Visibility score", Rate(Num(visibility, "rate")), Interval(visibility), kAccent},
      TrendTile(r),
      {"Average position", position ? "#" + FormatNumber(*position, 1) : "–",
       fmt::format("ranked in {} of {} prompts", Int(r, "ranked_prompts"),
                   Int(r, "prompts_count"))},
      {"Share of voice", share ? Rate(Num(*share, "rate")) : "–",
       share ? fmt::format("{} of {} brand and competitor mentions",
                           FormatCount(Int(*share, "successes")), FormatCount(Int(*share, "n")))
             : "no mentions"},
      {"Accuracy against the facts", Rate(Num(accuracy_rate, "rate")),
       Int(accuracy, "answers_judged") == 0
           ? "not judged (no facts or no judge)"
           : fmt::format("correct, of {} claims the facts settle",
                         Int(accuracy, "correct") + Int(accuracy, "contradicted")),
       Int(accuracy, "contradicted") > 0 ? kBad : kInk},
      {"Sentiment when mentioned",
       fmt::format("{} / {} / {}", Int(sentiment, "positive"), Int(sentiment, "neutral"),
                   Int(sentiment, "negative")),
       "positive / neutral / negative answers"}};
  if (Sampled(r)) {
    for (auto& tile : AnswerTiles(r)) tiles.push_back(std::move(tile));
  }
  Tiles(flow, tiles);
}

void TrendChart(Flow& flow, const json::object& r) {
  const json::array& trend = Arr(r, "trend");
  if (trend.size() < 2) return;
  flow.Heading("Visibility over runs",
               "This region's visibility score per run, with its 95 % interval (shaded).", 140);
  Canvas& c = flow.canvas();
  constexpr double kAxis = 40, kHeight = 100;
  double left = kMargin + kAxis, width = kContentWidth - kAxis - 10, top = flow.y() + 4;
  auto y_of = [&](double rate) { return top + kHeight * (100 - rate) / 100; };
  for (int i = 0; i <= 4; ++i) {
    double rate = 25.0 * i;
    c.Line(left, y_of(rate), left + width, y_of(rate), kRule, 0.4);
    c.Text(kMargin, y_of(rate) - 6, kAxis - 6, 12, FormatNumber(rate, 0) + " %",
           {.size = 7, .color = kMuted, .align = Align::kRight});
  }
  // Dates label the runs, unless two runs share a day: then times too ("11-30 09:15").
  bool same_day = false;
  for (size_t i = 1; i < trend.size(); ++i) {
    same_day = same_day || Str(AsObject(trend[i]), "created_at").substr(0, 10) ==
                               Str(AsObject(trend[i - 1]), "created_at").substr(0, 10);
  }
  auto label = [same_day](const std::string& at) {
    if (!same_day || at.size() < 16) return at.substr(0, 10);
    return at.substr(5, 5) + " " + at.substr(11, 5);
  };
  double step = width / static_cast<double>(trend.size() - 1);
  for (size_t i = 0; i < trend.size(); ++i) {
    const json::object& p = AsObject(trend[i]);
    double x = left + step * static_cast<double>(i);
    double low = Num(p, "ci95_low").value_or(0), high = Num(p, "ci95_high").value_or(0);
    c.FillRect(x - 3, y_of(high), 6, y_of(low) - y_of(high), Hex(0xdbeafe));
    if (i > 0) {
      const json::object& prev = AsObject(trend[i - 1]);
      if (auto a = Num(prev, "rate"), b = Num(p, "rate"); a && b) {
        c.Line(x - step, y_of(*a), x, y_of(*b), kAccent, 1.4);
      }
    }
    if (auto rate = Num(p, "rate")) c.FillRect(x - 2, y_of(*rate) - 2, 4, 4, kAccent);
    c.Text(x - 30, top + kHeight + 2, 60, 11, label(Str(p, "created_at")),
           {.size = 6.5, .color = kMuted, .align = Align::kCenter});
  }
  flow.Advance(kHeight + 22);
}

struct Bar {
  std::string label;
  const json::object* rate;  // {rate, n, ci95_low, ci95_high}
  bool highlight = false;
};

// Horizontal bars of rates (0-100 %) with their 95 % interval as a whisker.
void Bars(Flow& flow, const std::vector<Bar>& bars) {
  Canvas& c = flow.canvas();
  constexpr double kLabel = 150, kValue = 110, kRow = 17;
  double left = kMargin + kLabel, width = kContentWidth - kLabel - kValue;
  for (const auto& bar : bars) {
    flow.Need(kRow);
    double y = flow.y();
    TextStyle label{.size = 8, .bold = bar.highlight, .color = kInk};
    c.Text(kMargin, y, kLabel - 8, kRow, bar.label, label);
    c.FillRect(left, y + 4, width, kRow - 8, kPanel);
    if (auto rate = Num(*bar.rate, "rate")) {
      c.FillRect(left, y + 4, width * *rate / 100, kRow - 8,
                 bar.highlight ? kAccent : Hex(0x93a3b8));
      double low = left + width * Num(*bar.rate, "ci95_low").value_or(*rate) / 100;
      double high = left + width * Num(*bar.rate, "ci95_high").value_or(*rate) / 100;
      c.Line(low, y + kRow / 2, high, y + kRow / 2, kInk, 0.7);
      c.Line(low, y + 5, low, y + kRow - 5, kInk, 0.7);
      c.Line(high, y + 5, high, y + kRow - 5, kInk, 0.7);
    }
    c.Text(
        left + width + 8, y, kValue - 8, kRow,
        fmt::format("{}  (n = {})", Rate(Num(*bar.rate, "rate")), FormatCount(Int(*bar.rate, "n"))),
        label);
    flow.Advance(kRow);
  }
  flow.Advance(10);
}

// Methodology 2: each platform's answered and failed samples, beside its rate.
void PlatformTable(Flow& flow, const json::object& r) {
  const json::array& rows = Arr(r, "platforms");
  bool has_failed = std::any_of(rows.begin(), rows.end(),
                                [](const auto& p) { return AsObject(p).contains("failed"); });
  if (!has_failed) return;
  Table table(flow, "Answers by platform",
              {{"Platform", 120},
               {"Visibility", 70, Align::kRight},
               {"95 % interval", 100, Align::kRight},
               {"Mentioned", 70, Align::kRight},
               {"Answered", 70, Align::kRight},
               {"Failed", kContentWidth - 430, Align::kRight}});
  for (const auto& p : rows) {
    const json::object& row = AsObject(p);
    int64_t n = Int(row, "n"), failed = Int(row, "failed");
    std::string failed_text = failed == 0 ? "0"
                                          : fmt::format("{} ({})", FormatCount(failed),
                                                        Rate(100.0 * static_cast<double>(failed) /
                                                             static_cast<double>(n + failed)));
    table.Row({{Str(row, "platform")},
               {Rate(Num(row, "rate"))},
               {n == 0 ? "–"
                       : fmt::format("{}–{} %", FormatNumber(Num(row, "ci95_low").value_or(0), 1),
                                     FormatNumber(Num(row, "ci95_high").value_or(0), 1))},
               {FormatCount(Int(row, "successes"))},
               {FormatCount(n)},
               {failed_text, failed > 0 ? kBad : kInk}});
  }
  flow.Advance(14);
}

void Breakdowns(Flow& flow, const json::object& r) {
  std::vector<Bar> platforms;
  for (const auto& p : Arr(r, "platforms")) {
    platforms.push_back({Str(AsObject(p), "platform"), &AsObject(p), true});
  }
  if (!platforms.empty()) {
    flow.Heading("Visibility by platform",
                 Sampled(r) ? "Share of answered samples that mention the brand (failed answers "
                              "are left out); whiskers show the 95 % interval."
                            : "Share of answers that mention the brand; whiskers show the 95 % "
                              "interval.",
                 17 * 2);
    Bars(flow, platforms);
    PlatformTable(flow, r);
  }
  std::vector<Bar> regions;
  const json::object& mine = Obj(r, "region");
  for (const auto& g : Arr(r, "regions")) {
    const json::object& region = AsObject(g);
    bool self =
        Str(region, "name") == Str(mine, "name") && Str(region, "country") == Str(mine, "country");
    regions.push_back({Str(region, "name") + " (" + Str(region, "country") + ")",
                       &Obj(region, "visibility"), self});
  }
  if (regions.size() > 1) {
    flow.Heading("Visibility by region, this run",
                 "Every region of the run; this report's region is highlighted.", 17 * 2);
    Bars(flow, regions);
  }
  std::vector<Bar> share;
  for (const auto& s : Arr(r, "share_of_voice")) {
    const json::object& row = AsObject(s);
    share.push_back({Str(row, "name"), &row, Bool(row, "is_brand")});
  }
  if (!share.empty()) {
    flow.Heading("Share of voice",
                 "Each name's share of all brand and competitor mentions in the answers.", 17 * 2);
    Bars(flow, share);
  }
}

void Accuracy(Flow& flow, const json::object& r) {
  const json::object& a = Obj(r, "accuracy");
  if (Int(a, "answers_judged") == 0) return;
  flow.Heading("Accuracy against the brand's facts",
               fmt::format("A judge model compared {} answers with the brand's facts: {} claims.",
                           Int(a, "answers_judged"), Int(a, "claims")),
               40);
  Canvas& c = flow.canvas();
  double total = static_cast<double>(std::max<int64_t>(Int(a, "claims"), 1));
  double x = kMargin;
  const std::tuple<const char*, Rgb> parts[] = {
      {"correct", kGood}, {"contradicted", kBad}, {"unsupported", Hex(0x9ca3af)}};
  for (const auto& [key, colour] : parts) {
    double w = kContentWidth * static_cast<double>(Int(a, key)) / total;
    c.FillRect(x, flow.y(), w, 12, colour);
    x += w;
  }
  flow.Advance(16);
  x = kMargin;
  for (const auto& [key, colour] : parts) {
    std::string label = fmt::format("{} {}", Int(a, key), key);
    c.FillRect(x, flow.y() + 2, 8, 8, colour);
    c.Text(x + 11, flow.y(), 150, 12, label, {.size = 7.5, .color = kMuted});
    x += 24 + c.TextWidth(label, {.size = 7.5});
  }
  flow.Advance(18);
  // The same claim made on several platforms is listed once, with the platforms.
  std::vector<std::pair<std::string, std::vector<std::string>>> claims;  // claim, platforms
  for (const auto& x : Arr(a, "contradicted_claims")) {
    std::string claim = Str(AsObject(x), "claim"), platform = Str(AsObject(x), "platform");
    auto it =
        std::find_if(claims.begin(), claims.end(), [&](const auto& c) { return c.first == claim; });
    if (it == claims.end()) it = claims.insert(claims.end(), {claim, {}});
    if (std::find(it->second.begin(), it->second.end(), platform) == it->second.end()) {
      it->second.push_back(platform);
    }
  }
  size_t shown = std::min<size_t>(claims.size(), 8);
  for (size_t i = 0; i < shown; ++i) {
    std::string text =
        fmt::format("✗ {}  ({})", claims[i].first, fmt::join(claims[i].second, ", "));
    TextStyle style{.size = 8, .color = kBad};
    double h = c.MeasureParagraph(kContentWidth - 10, text, style, 2);
    flow.Need(h + 3);
    flow.Advance(c.Paragraph(kMargin + 10, flow.y(), kContentWidth - 10, text, style, 2) + 3);
  }
  if (claims.size() > shown) {
    c.Text(
        kMargin + 10, flow.y(), kContentWidth, 12,
        fmt::format("… and {} more contradicted claims in the JSON report.", claims.size() - shown),
        {.size = 8, .color = kMuted});
    flow.Advance(14);
  }
  flow.Advance(8);
}

}  // namespace
}  // namespace render

Status RenderBrandPdf(const boost::json::object& report, const PdfSink& sink) {
  return RenderBrandPdf(report, sink, PdfBranding{});
}

Status RenderBrandPdf(const boost::json::object& report, const PdfSink& sink,
                      const PdfBranding& branding) {
  using namespace render;
  std::string brand = Str(report, "brand_name");
  std::string region = Str(Obj(report, "region"), "name");
  DocumentInfo info{.title = "Brand visibility report: " + brand + " (" + region + ")",
                    .subject = "How AI answer engines talk about " + brand + " in " + region,
                    .created_at = Str(report, "created_at")};
  std::string footer = "Rapport  ·  Brand visibility report  ·  " + brand + "  ·  " + region +
                       "  ·  " + Str(report, "created_at").substr(0, 10);
  return RenderInTwoPasses(
      sink, info, footer,
      [&report](Flow& flow) {
        BrandCover(flow, report);
        Kpis(flow, report);
        TrendChart(flow, report);
        Breakdowns(flow, report);
        Accuracy(flow, report);
        BrandPromptsTable(flow, report);
        BrandExcerpts(flow, report);
        BrandUsage(flow, report);
      },
      branding, &report);
}

}  // namespace rapport
