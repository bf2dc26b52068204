#include <rapport/store/records.hpp>

#include <array>

namespace rapport {
namespace {
constexpr std::array<std::string_view, 5> kJobStatusNames = {"pending", "processing", "completed",
                                                             "failed", "cancelled"};
}

std::string_view JobStatusName(JobStatus status) {
  return kJobStatusNames.at(static_cast<size_t>(status));
}

std::optional<JobStatus> ParseJobStatus(std::string_view text) {
  for (size_t i = 0; i < kJobStatusNames.size(); ++i) {
    if (kJobStatusNames[i] == text) return static_cast<JobStatus>(i);
  }
  return std::nullopt;
}

}  // namespace rapport
