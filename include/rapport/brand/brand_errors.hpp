// The brand kind's own error codes. Each is an entry of the error catalog like core's (same
// rendering in both dialects, listed on /docs/errors and in the OpenAPI ApiError enum); an Error
// built from one has ErrorCode::kKind.
#pragma once

#include <rapport/core/error.hpp>

#include <span>

namespace rapport {

// 422 brand_facts_required: a brand run needs the brand's facts (a description).
const ErrorSpec& BrandFactsRequired();
// 404 facts_not_generated: the brand has no facts yet.
const ErrorSpec& FactsNotGenerated();
// Every brand error spec, for the catalog page and the OpenAPI test.
std::span<const ErrorSpec> BrandErrorSpecs();

}  // namespace rapport
