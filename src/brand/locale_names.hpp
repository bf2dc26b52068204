// What a region config's free-text country and language name: ISO 3166-1 countries (alpha-2,
// alpha-3 or English name) and ISO 639-1 languages (code, code with a region, or English name),
// recognised case- and accent-insensitively. Data from Debian's iso-codes, generated into
// locale_names_table.inc by scripts/gen-locale-names.py.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rapport {

struct Country {
  std::string_view alpha2;  // "US"
  std::string_view alpha3;  // "USA"
  std::string_view name;    // "United States"
};

// The country `text` names ("us", "USA", "United States", "the Netherlands", "Türkiye"), or
// nullptr when it names none.
const Country* FindCountry(std::string_view text);

struct LanguageMatch {
  std::string code;       // "de", or with a region as sent, normalised: "pt-BR"
  std::string_view name;  // "German"
};

// The language `text` names: an ISO 639-1 code ("de"), a code with a region ("pt-BR", "pt_br"),
// or an English name ("German", "castilian"); nullopt when none.
std::optional<LanguageMatch> FindLanguage(std::string_view text);

}  // namespace rapport
