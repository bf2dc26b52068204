// Why Boost.JSON: parse and serialize a brand document and a 50-brand list page with Boost.JSON
// and with simdjson (DOM API), in the same binary and run. Run by `make bench`.
#include <benchmark/benchmark.h>
#include <simdjson.h>
#include <boost/json.hpp>

#include <string>

namespace {

std::string Brand(int i) {
  return R"({"id":"brand_0ERfdEc52hqe5Qo7k4s7N07MyV)" + std::to_string(i % 10) +
         R"(","object":"brand","name":"Acme Analytics )" + std::to_string(i) +
         R"(","website":"https://acme-analytics.example","brand_aliases":["Acme","AcmeAI"],)"
         R"("competitors":[{"name":"Globex Insights","aliases":["Globex"]},{"name":"Initech Data","aliases":[]}],)"
         R"("categories":["analytics","business intelligence"],"country":"US","language":"en",)"
         R"("created_at":"2026-11-24T11:01:40.623Z","updated_at":"2026-11-24T11:01:40.623Z"})";
}

std::string List() {
  std::string out = R"({"object":"list","data":[)";
  for (int i = 0; i < 50; ++i) out += (i ? "," : "") + Brand(i);
  return out +
         R"(],"has_more":true,"next_cursor":"YzE6YnJhbmRfMEVSZmRFYzUyaHFlNVFvN2s0czdOMDdNeVY3"})";
}

const std::string& Doc(int which) {
  static const std::string brand = Brand(1);
  static const std::string list = List();
  return which == 0 ? brand : list;
}

void BM_BoostJsonParse(benchmark::State& state) {
  const std::string& doc = Doc(static_cast<int>(state.range(0)));
  boost::json::parse_options options;
  options.max_depth = 32;
  for (auto _ : state) {
    boost::json::value v = boost::json::parse(doc, {}, options);
    benchmark::DoNotOptimize(v);
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(doc.size()));
}

void BM_SimdjsonParse(benchmark::State& state) {
  const std::string& doc = Doc(static_cast<int>(state.range(0)));
  simdjson::dom::parser parser;
  simdjson::padded_string padded(doc);
  for (auto _ : state) {
    simdjson::dom::element e = parser.parse(padded);
    benchmark::DoNotOptimize(e);
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(doc.size()));
}

void BM_BoostJsonSerialize(benchmark::State& state) {
  boost::json::value v = boost::json::parse(Doc(static_cast<int>(state.range(0))));
  for (auto _ : state) {
    std::string out = boost::json::serialize(v);
    benchmark::DoNotOptimize(out);
  }
}

void BM_SimdjsonSerialize(benchmark::State& state) {
  simdjson::dom::parser parser;
  simdjson::dom::element e = parser.parse(simdjson::padded_string(Doc(int(state.range(0)))));
  for (auto _ : state) {
    std::string out = simdjson::minify(e);
    benchmark::DoNotOptimize(out);
  }
}

// Arg 0: one brand (~0.4 KB); arg 1: a 50-brand list page (~20 KB).
BENCHMARK(BM_BoostJsonParse)->Arg(0)->Arg(1);
BENCHMARK(BM_SimdjsonParse)->Arg(0)->Arg(1);
BENCHMARK(BM_BoostJsonSerialize)->Arg(0)->Arg(1);
BENCHMARK(BM_SimdjsonSerialize)->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
