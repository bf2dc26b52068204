// Private to the brand module: the JSON forms shared by the report builder (brand_report_body.cpp)
// and the run (brand_run.cpp).
#pragma once

#include <rapport/brand/llm_client.hpp>
#include <rapport/store/records.hpp>

#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace rapport {

// One decimal, as every rate of a report.
double Round1(double v);
// {rate, successes, n, ci95_low, ci95_high} in percent, with the 95 % Wilson interval.
boost::json::object Rate(int64_t successes, int64_t n);

// Whether a stored answer was answered (not failed).
inline bool IsAnswered(const BrandAnswer& a) { return a.status == "answered"; }

// A provider's sources as stored with an answer (JSON [{url, title}]) and back.
std::string SourcesJson(const std::vector<LlmSource>& sources);
std::vector<LlmSource> ParseSources(const std::string& text);

}  // namespace rapport
