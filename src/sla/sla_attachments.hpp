// An SLA schedule's `attachments` setting: which files its report e-mail carries.
#pragma once

#include <rapport/core/json.hpp>

#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace rapport {

// Reads `attachments` (absent: ["pdf"]): an array of at most 3 of "pdf", "csv", "xlsx", stored
// in that order without repeats; a problem at `attachments.<i>` names a value that is none of
// them.
std::vector<std::string> ReadAttachments(BodyReader& reader);

// The stored setting; ["pdf"] for settings written before it existed.
std::vector<std::string> AttachmentsFromJson(const boost::json::object& settings);

}  // namespace rapport
