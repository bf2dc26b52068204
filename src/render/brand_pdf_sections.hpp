// The brand report PDF's sections about single answers: the prompts table (with each platform's
// stability when every prompt was asked several times), answer excerpts with their sources, and
// the usage block. They read the report JSON tolerantly: a methodology-1 report has no samples,
// failed answers, sources or usage, and what it lacks is left out, never guessed.
#pragma once

#include "page_flow.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>

namespace rapport::render {

// A brand rate as the PDF writes it, "66.7 %"; "–" when absent.
std::string BrandRate(std::optional<double> rate);

// Where the brand appeared for each prompt and its best position; with samples_per_prompt > 1,
// one column per platform: "answered samples that mention the brand / answered samples (%)".
void BrandPromptsTable(Flow& flow, const boost::json::object& report);
// Up to four answers that mention the brand (never a failed one), with their sources.
void BrandExcerpts(Flow& flow, const boost::json::object& report);
// Calls, tokens and cost per platform and for the judge; nothing when the report has no `usage`.
void BrandUsage(Flow& flow, const boost::json::object& report);

}  // namespace rapport::render
