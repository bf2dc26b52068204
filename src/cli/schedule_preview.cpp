#include "schedule_preview.hpp"

#include "cli.hpp"
#include "output.hpp"

#include <rapport/sla/sla_cadence.hpp>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <iostream>

namespace rapport::cli {
namespace {

struct PreviewOptions {
  std::string frequency;
  bool sla = false;
  bool daily = false, weekly = false, monthly = false;
  std::string timezone = "UTC";
  std::string day_of_week = "monday";
  int day_of_month = 1;
  std::string at = "08:00";
  std::string from;
  int count = 5;
};

// A day name or its number, 0 (Sunday) to 6.
std::optional<int> ParseWeekday(const std::string& text) {
  if (text.size() == 1 && text[0] >= '0' && text[0] <= '6') return text[0] - '0';
  return ParseWeekdayName(text);
}

int Fail(const std::string& message) {
  std::cerr << "rapport: " << message << "\n";
  return kExitUsage;
}

int Preview(const PreviewOptions& o, bool json_output) {
  UnixMs from = SystemClock().NowMs();
  if (!o.from.empty()) {
    auto parsed = ParseRfc3339(o.from);
    if (!parsed) return Fail("--from must be an RFC 3339 time such as 2026-03-08T00:00:00Z");
    from = *parsed;
  }
  if (o.count < 1 || o.count > 1000) return Fail("-n must be between 1 and 1000");
  std::vector<PlannedRun> runs;
  if (o.sla == !o.frequency.empty()) {
    return Fail(
        "choose one cadence: --frequency daily|weekly|monthly, or --sla with "
        "--daily/--weekly/--monthly");
  }
  if (!o.frequency.empty()) {
    auto frequency = ParseFrequency(o.frequency);
    if (!frequency) return Fail("--frequency must be daily, weekly or monthly");
    runs = PreviewFrequency(*frequency, from, o.count);
  } else {
    auto weekday = ParseWeekday(o.day_of_week);
    if (!weekday) return Fail("--day-of-week must be sunday..saturday or 0..6");
    int hour = -1, minute = -1;
    if (std::sscanf(o.at.c_str(), "%d:%d", &hour, &minute) != 2) {
      return Fail("--at must be HH:MM");
    }
    SlaCadence cadence{o.daily,        o.weekly,   o.monthly, *weekday,
                       o.day_of_month, o.timezone, hour,      minute};
    auto planned = PreviewSla(cadence, from, o.count);
    if (!planned.ok()) return Fail(planned.error().message());
    runs = std::move(planned.value());
  }
  if (json_output) {
    boost::json::array out;
    for (const auto& r : runs) {
      out.push_back({{"run_at", FormatRfc3339(r.run_at).substr(0, 19) + "Z"},
                     {"local", r.local},
                     {"from_date", r.from_date},
                     {"to_date", r.to_date},
                     {"cadence", r.cadence}});
    }
    std::cout << boost::json::serialize(out) << "\n";
    return kExitOk;
  }
  std::printf("%-21s  %-26s  %-8s  %s\n", "RUN AT (UTC)", "LOCAL", "CADENCE", "COVERS");
  for (const auto& r : runs) {
    std::printf("%-21s  %-26s  %-8s  %s .. %s\n",
                (FormatRfc3339(r.run_at).substr(0, 19) + "Z").c_str(), r.local.c_str(),
                r.cadence.c_str(), r.from_date.c_str(), r.to_date.c_str());
  }
  return kExitOk;
}

}  // namespace

void AddSchedulePreviewCommand(CLI::App& app, Session& session) {
  static PreviewOptions o;
  auto* schedule = app.add_subcommand("schedule", "Schedule tools")->require_subcommand(1);
  auto* preview = schedule->add_subcommand(
      "preview",
      "Print the next run instants (UTC and local) of a cadence and the period each covers.\n"
      "DST: a run time in a gap runs at the first valid instant after it; in a fold, once.");
  preview->add_option("--frequency", o.frequency,
                      "Brand schedules (/v1): daily, weekly or monthly from --from");
  preview->add_flag("--sla", o.sla, "SLA schedules: combine with --daily/--weekly/--monthly");
  preview->add_flag("--daily", o.daily, "SLA: every day, covering the previous day");
  preview->add_flag("--weekly", o.weekly, "SLA: on --day-of-week, covering the past 7 days");
  preview->add_flag("--monthly", o.monthly,
                    "SLA: on --day-of-month, covering the previous calendar month");
  preview->add_option("--timezone", o.timezone, "SLA: IANA time zone (default UTC)");
  preview->add_option("--day-of-week", o.day_of_week,
                      "SLA weekly: sunday..saturday (default monday)");
  preview->add_option("--day-of-month", o.day_of_month, "SLA monthly: 1..28 (default 1)");
  preview->add_option("--at", o.at, "SLA: local run time HH:MM (default 08:00)");
  preview->add_option("--from", o.from,
                      "RFC 3339 start: the first run (--frequency) or the instant after which "
                      "runs are listed (--sla); default now");
  preview->add_option("-n", o.count, "How many runs (default 5)");
  preview->callback([&session] { session.exit_code = Preview(o, session.json_output); });
}

}  // namespace rapport::cli
