#include <rapport/brand/brand_errors.hpp>

#include <array>

namespace rapport {
namespace {

constexpr std::array kSpecs = {
    ErrorSpec{"brand_facts_required", 422, "invalid_request_error",
              "The brand needs facts (a description) before it can be reported on"},
    ErrorSpec{"facts_not_generated", 404, "invalid_request_error",
              "No facts have been generated for this brand yet"},
};

}  // namespace

const ErrorSpec& BrandFactsRequired() { return kSpecs[0]; }
const ErrorSpec& FactsNotGenerated() { return kSpecs[1]; }
std::span<const ErrorSpec> BrandErrorSpecs() { return kSpecs; }

}  // namespace rapport
