#include <rapport/render/format.hpp>

#include "brand_pdf_sections.hpp"
#include "report_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace rapport::render {
namespace {

namespace json = boost::json;
using namespace palette;

bool Failed(const json::object& result) { return Str(result, "status") == "failed"; }

// The report's platforms in its own order (`platforms[]`), then any other a prompt names.
std::vector<std::string> PlatformNames(const json::object& r) {
  std::vector<std::string> names;
  auto add = [&names](const std::string& name) {
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  };
  for (const auto& p : Arr(r, "platforms")) add(Str(AsObject(p), "platform"));
  for (const auto& p : Arr(r, "prompts")) {
    for (const auto& s : Arr(AsObject(p), "stability")) add(Str(AsObject(s), "platform"));
  }
  return names;
}

std::string BestPosition(const json::object& prompt) {
  std::optional<int64_t> best;
  for (const auto& x : Arr(prompt, "results")) {
    const json::object& result = AsObject(x);
    if (Failed(result) || !Bool(result, "brand_appears")) continue;
    if (auto pos = Num(result, "position")) {
      best = std::min<int64_t>(best.value_or(*pos), static_cast<int64_t>(*pos));
    }
  }
  return best ? "#" + std::to_string(*best) : "–";
}

// "2/3 (66.7 %)": of the answered samples, those that mention the brand.
Cell StabilityCell(const json::object& prompt, const std::string& platform) {
  for (const auto& x : Arr(prompt, "stability")) {
    const json::object& s = AsObject(x);
    if (Str(s, "platform") != platform) continue;
    if (Int(s, "samples") == 0) return {"all failed", kBad};
    return {fmt::format("{}/{} ({})", Int(s, "appearances"), Int(s, "samples"),
                        BrandRate(Num(s, "stability"))),
            Int(s, "appearances") == 0 ? kMuted : kInk};
  }
  return {"–", kMuted};
}

// One answer per platform: the platforms that mentioned the brand, and those that failed.
void AppearanceTable(Flow& flow, const json::array& prompts) {
  Table table(flow, "Prompts",
              {{"#", 22, Align::kRight},
               {"Prompt", 228},
               {"Category", 70},
               {"Appeared on", 140},
               {"Position", kContentWidth - 460, Align::kRight}});
  int n = 0;
  for (const auto& p : prompts) {
    const json::object& prompt = AsObject(p);
    std::string platforms, failed;
    for (const auto& x : Arr(prompt, "results")) {
      const json::object& result = AsObject(x);
      std::string& list = Failed(result) ? failed : platforms;
      if (!Failed(result) && !Bool(result, "brand_appears")) continue;
      list += (list.empty() ? "" : ", ") + Str(result, "platform");
    }
    std::string appeared = platforms.empty() ? "not mentioned" : platforms;
    if (!failed.empty()) appeared += " (failed: " + failed + ")";
    table.Row({{std::to_string(++n)},
               {Str(prompt, "prompt_text")},
               {Str(prompt, "category").empty() ? "–" : Str(prompt, "category")},
               {appeared, platforms.empty() ? kMuted : kInk},
               {BestPosition(prompt)}});
  }
}

// Several samples per prompt: a column per platform with its stability. Platforms that do not
// fit beside a readable prompt column go to a further table of the same rows.
void StabilityTables(Flow& flow, const json::array& prompts,
                     const std::vector<std::string>& names) {
  constexpr double kNumber = 22, kPosition = 44, kMinPrompt = 200;
  Canvas& c = flow.canvas();
  std::vector<double> widths;
  for (const auto& name : names) {
    double w = c.TextWidth(name, {.size = 8, .bold = true});
    for (const auto& p : prompts) {
      w = std::max(w, c.TextWidth(StabilityCell(AsObject(p), name).text, {.size = 8}));
    }
    widths.push_back(std::max(50.0, w + 10));
  }
  for (size_t first = 0; first < names.size();) {
    bool with_position = first == 0;
    double used = kNumber + (with_position ? kPosition : 0);
    size_t last = first;
    while (last < names.size() &&
           (last == first || used + widths[last] <= kContentWidth - kMinPrompt)) {
      used += widths[last++];
    }
    std::vector<Column> columns{{"#", kNumber, Align::kRight}, {"Prompt", kContentWidth - used}};
    for (size_t i = first; i < last; ++i) columns.push_back({names[i], widths[i], Align::kRight});
    if (with_position) columns.push_back({"Best", kPosition, Align::kRight});
    if (!with_position) {
      flow.Advance(8);
      flow.Need(18 + Table::kHeaderHeight + Table::kRowHeight);
      c.Text(kMargin, flow.y(), kContentWidth, 16, "Prompts (more platforms)",
             {.size = 9, .bold = true, .color = kMuted});
      flow.Advance(18);
    }
    Table table(flow, "Prompts", columns);
    int n = 0;
    for (const auto& p : prompts) {
      const json::object& prompt = AsObject(p);
      std::vector<Cell> cells{{std::to_string(++n)}, {Str(prompt, "prompt_text")}};
      for (size_t i = first; i < last; ++i) cells.push_back(StabilityCell(prompt, names[i]));
      if (with_position) cells.push_back({BestPosition(prompt)});
      table.Row(cells);
    }
    first = last;
  }
}

// Byte offset of the first case-insensitive (ASCII) occurrence of `needle`, or 0.
size_t FindMention(const std::string& text, const std::string& needle) {
  if (needle.empty()) return 0;
  auto it = std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
  return it == text.end() ? 0 : static_cast<size_t>(it - text.begin());
}

bool IsContinuation(char ch) { return (static_cast<unsigned char>(ch) & 0xc0) == 0x80; }

// About `length` bytes of `answer` around the brand's first mention, cut at UTF-8 boundaries.
std::string Excerpt(const std::string& answer, const std::string& brand, size_t length) {
  size_t mention = FindMention(answer, brand);
  size_t start = mention > length / 3 ? mention - length / 3 : 0;
  while (start > 0 && start < answer.size() && answer[start - 1] != ' ' &&
         answer[start - 1] != '\n' && mention - start < length / 2) {
    --start;
  }
  while (start < answer.size() && IsContinuation(answer[start])) ++start;
  size_t end = std::min(answer.size(), start + length);
  while (end < answer.size() && IsContinuation(answer[end])) --end;
  return (start > 0 ? "…" : "") + answer.substr(start, end - start) +
         (end < answer.size() ? "…" : "");
}

// "Cited by the engine: Title (domain), …  ·  Named in the answer: domain, …" from `sources`;
// a report without them (methodology 1) has only the domains in `citations`.
std::string SourcesLine(const json::object& result) {
  std::string engine, text;
  for (const auto& x : Arr(result, "sources")) {
    const json::object& s = AsObject(x);
    std::string title = Str(s, "title"), where = Str(s, "domain");
    if (where.empty()) where = Str(s, "url");
    std::string& list = Str(s, "origin") == "provider" ? engine : text;
    list += list.empty() ? "" : ", ";
    list += title.empty() ? where : fmt::format("{} ({})", title, where);
  }
  std::string line;
  if (!engine.empty()) line = "Cited by the engine: " + engine;
  if (!text.empty()) line += (line.empty() ? "" : "  ·  ") + ("Named in the answer: " + text);
  if (!line.empty()) return line;
  for (const auto& x : Arr(result, "citations")) {
    if (x.is_string()) line += (line.empty() ? "Cited: " : ", ") + std::string(x.get_string());
  }
  return line;
}

bool HasSources(const json::object& result) {
  return !Arr(result, "sources").empty() || !Arr(result, "citations").empty();
}

std::vector<std::pair<const json::object*, const json::object*>> PickExcerpts(
    const json::object& r) {
  constexpr size_t kMaxExcerpts = 4;
  std::vector<std::pair<const json::object*, const json::object*>> picked;  // prompt, result
  for (bool need_sources : {true, false}) {
    for (const auto& p : Arr(r, "prompts")) {
      const json::object& prompt = AsObject(p);
      bool taken = std::any_of(picked.begin(), picked.end(),
                               [&](const auto& x) { return x.first == &prompt; });
      for (const auto& x : Arr(prompt, "results")) {
        const json::object& result = AsObject(x);
        if (taken || picked.size() == kMaxExcerpts || Failed(result) ||
            !Bool(result, "brand_appears") || (need_sources && !HasSources(result))) {
          continue;
        }
        picked.emplace_back(&prompt, &result);
        taken = true;
      }
    }
  }
  return picked;
}

std::string Cost(const json::object& usage) {
  auto cost = Num(usage, "cost");
  return cost ? FormatNumber(*cost, 4) : "–";
}

void UsageRow(Table& table, const std::string& platform, const std::string& model,
              const json::object& usage, bool bold = false) {
  table.Row({{platform, kInk, bold},
             {model.empty() ? "–" : model, model.empty() ? kMuted : kInk, bold},
             {FormatCount(Int(usage, "calls")), kInk, bold},
             {FormatCount(Int(usage, "prompt_tokens")), kInk, bold},
             {FormatCount(Int(usage, "completion_tokens")), kInk, bold},
             {Cost(usage), Num(usage, "cost") ? kInk : kMuted, bold}});
}

}  // namespace

std::string BrandRate(std::optional<double> rate) {
  return rate ? FormatNumber(*rate, 1) + " %" : "–";
}

void BrandPromptsTable(Flow& flow, const json::object& r) {
  const json::array& prompts = Arr(r, "prompts");
  if (prompts.empty()) return;
  std::vector<std::string> platforms = PlatformNames(r);
  bool sampled = Int(r, "samples_per_prompt") > 1 && !platforms.empty();
  flow.Heading("Prompts",
               sampled ? fmt::format("Per platform: of a prompt's answered samples (up to {}), "
                                     "those that mention the brand; the best position of all.",
                                     Int(r, "samples_per_prompt"))
                       : "Where the brand appeared for each prompt, and its best position.",
               Table::kHeaderHeight + Table::kRowHeight);
  if (sampled) {
    StabilityTables(flow, prompts, platforms);
  } else {
    AppearanceTable(flow, prompts);
  }
  flow.Advance(14);
}

void BrandExcerpts(Flow& flow, const json::object& r) {
  auto picked = PickExcerpts(r);
  if (picked.empty()) return;
  flow.Heading("Answer excerpts", "What the engines said where the brand appeared.", 60);
  Canvas& c = flow.canvas();
  bool sampled = Int(r, "samples_per_prompt") > 1;
  for (const auto& [prompt, result] : picked) {
    std::string question = "“" + Str(*prompt, "prompt_text") + "”";
    std::string source = Str(*result, "platform") + " · " + Str(*result, "model");
    if (sampled && Int(*result, "sample") > 0)
      source += " · sample " + std::to_string(Int(*result, "sample"));
    std::string body = Excerpt(Str(*result, "answer"), Str(r, "brand_name"), 520);
    std::string cited = SourcesLine(*result);
    TextStyle q{.size = 8.5, .bold = true, .color = kInk};
    TextStyle t{.size = 8, .color = kInk};
    TextStyle s{.size = 7.5, .color = kMuted};
    double h = c.MeasureParagraph(kContentWidth - 12, question, q, 2) + 14 +
               c.MeasureParagraph(kContentWidth - 12, body, t, 8) +
               (cited.empty() ? 0 : c.MeasureParagraph(kContentWidth - 12, cited, s, 3) + 4) + 14;
    flow.Need(h);
    double top = flow.y();
    c.FillRect(kMargin, top, 3, h - 10, kAccent);
    flow.Advance(c.Paragraph(kMargin + 12, flow.y(), kContentWidth - 12, question, q, 2) + 2);
    c.Text(kMargin + 12, flow.y(), kContentWidth - 12, 12, source, s);
    flow.Advance(12);
    flow.Advance(c.Paragraph(kMargin + 12, flow.y(), kContentWidth - 12, body, t, 8) + 4);
    if (!cited.empty()) {
      flow.Advance(c.Paragraph(kMargin + 12, flow.y(), kContentWidth - 12, cited, s, 3) + 4);
    }
    flow.Advance(top + h - flow.y());
  }
}

void BrandUsage(Flow& flow, const json::object& r) {
  const json::value* found = r.if_contains("usage");
  if (!found || !found->is_object()) return;
  const json::object& usage = found->get_object();
  const json::array& platforms = Arr(usage, "platforms");
  const json::object& judge = Obj(usage, "judge");
  size_t rows = platforms.size() + (Int(judge, "calls") > 0 ? 1 : 0) + 1;
  flow.Heading("Usage",
               Num(usage, "cost")
                   ? "Calls and tokens as the providers reported them; cost at llm.prices (per "
                     "million tokens)."
                   : "Calls and tokens as the providers reported them; no cost: llm.prices has no "
                     "price for every model used.",
               Table::kHeaderHeight + Table::kRowHeight * static_cast<double>(rows));
  Table table(flow, "Usage",
              {{"Platform", 100},
               {"Model", 135},
               {"Calls", 55, Align::kRight},
               {"Prompt tokens", 80, Align::kRight},
               {"Completion tokens", 85, Align::kRight},
               {"Cost", kContentWidth - 455, Align::kRight}});
  for (const auto& p : platforms) {
    const json::object& row = AsObject(p);
    UsageRow(table, Str(row, "platform"), Str(row, "model"), row);
  }
  if (Int(judge, "calls") > 0) UsageRow(table, "judge", "", judge);
  UsageRow(table, "Total", "", usage, true);
  flow.Advance(14);
}

}  // namespace rapport::render
