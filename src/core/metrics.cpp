#include <rapport/core/metrics.hpp>

#include <fmt/format.h>

namespace rapport {
namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out;
}

std::string LabelText(const MetricLabels& labels) {
  std::string out;
  for (const auto& [k, v] : labels) out += (out.empty() ? "" : ",") + k + "=\"" + Escape(v) + "\"";
  return out;
}

std::string WithLabels(const std::string& name, const std::string& labels,
                       const std::string& extra = "") {
  std::string all = labels.empty() ? extra : extra.empty() ? labels : labels + "," + extra;
  return all.empty() ? name : name + "{" + all + "}";
}

}  // namespace

const std::vector<double>& MetricsRegistry::Bounds() {
  static const std::vector<double> bounds = {0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1,
                                             2.5,   5,    10,   30,  60,   300, 900};
  return bounds;
}

MetricsRegistry::Series& MetricsRegistry::SeriesFor(const std::string& name,
                                                    const std::string& help, bool histogram) {
  Series& s = series_[name];
  if (s.help.empty()) {
    s.help = help;
    s.histogram = histogram;
  }
  return s;
}

void MetricsRegistry::Count(const std::string& name, const std::string& help,
                            const MetricLabels& labels, double by) {
  std::lock_guard lock(mu_);
  std::vector<double>& v = SeriesFor(name, help, false).values[LabelText(labels)];
  if (v.empty()) v.assign(1, 0);
  v[0] += by;
}

void MetricsRegistry::Observe(const std::string& name, const std::string& help,
                              const MetricLabels& labels, double seconds) {
  const std::vector<double>& bounds = Bounds();
  std::lock_guard lock(mu_);
  std::vector<double>& v = SeriesFor(name, help, true).values[LabelText(labels)];
  if (v.empty()) v.assign(bounds.size() + 2, 0);  // buckets, count, sum
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (seconds <= bounds[i]) ++v[i];
  }
  ++v[bounds.size()];
  v[bounds.size() + 1] += seconds;
}

std::string MetricsRegistry::Render() const {
  const std::vector<double>& bounds = Bounds();
  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& [name, s] : series_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, s.help, name,
                       s.histogram ? "histogram" : "counter");
    for (const auto& [labels, v] : s.values) {
      if (!s.histogram) {
        out += fmt::format("{} {}\n", WithLabels(name, labels), v[0]);
        continue;
      }
      for (size_t i = 0; i < bounds.size(); ++i) {
        out += fmt::format(
            "{} {}\n", WithLabels(name + "_bucket", labels, fmt::format("le=\"{}\"", bounds[i])),
            v[i]);
      }
      out += fmt::format("{} {}\n", WithLabels(name + "_bucket", labels, "le=\"+Inf\""),
                         v[bounds.size()]);
      out += fmt::format("{} {}\n", WithLabels(name + "_count", labels), v[bounds.size()]);
      out += fmt::format("{} {}\n", WithLabels(name + "_sum", labels), v[bounds.size() + 1]);
    }
  }
  return out;
}

MetricsRegistry& ProcessMetrics() {
  static MetricsRegistry registry;
  return registry;
}

}  // namespace rapport
