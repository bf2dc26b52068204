// `rapport run sla|brand`: request a report run on demand and, with --wait, follow its job with
// a progress bar (from the job's completed/total) and download the PDF(s) with -o.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace CLI {
class App;
}

namespace rapport::cli {

struct Session;

// "[#########...........]  45%  loading faults (9/20)" for a bar `width` characters wide;
// total <= 0 shows the step alone.
std::string ProgressLine(const std::string& step, int64_t completed, int64_t total, int width);

// For a job's `result`, the PDFs to fetch: {path, file} pairs. One report goes to `output`; several
// (a brand run over several regions) to `output` with "-<report id>" before its extension.
std::vector<std::pair<std::string, std::string>> PdfDownloads(const boost::json::value& result,
                                                              bool brand,
                                                              const std::string& output);

void AddRunCommands(CLI::App& app, Session& session);

}  // namespace rapport::cli
