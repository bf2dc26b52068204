// The `/v1` JSON form of a brand written straight into a buffer: the bytes ToJson(BrandToJson(b))
// gives, without building a boost::json tree first (a brand GET's answer is built per request).
#pragma once

#include <rapport/store/records.hpp>

#include <string>

namespace rapport {

// Appends the brand's JSON object to `out`; byte for byte ToJson(BrandToJson(brand)).
void AppendBrandJson(std::string& out, const Brand& brand);

}  // namespace rapport
