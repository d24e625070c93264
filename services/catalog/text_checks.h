// Small, pure checks and normalizations of the text fields the catalog accepts: ids, codes, tags,
// contact data. No I/O; thread-safe.
//
// (The inquiries validator has similar rules for its own fields; these are the catalog's, kept
// here so the services do not link each other's libraries.)
#pragma once

#include <string>
#include <string_view>

#include "services/common/ids.h"

namespace carebridge::catalog {

// The text without leading and trailing ASCII whitespace.
std::string Trimmed(std::string_view text);

using ::carebridge::IsUuid;  // services/common/ids.h

// Two upper-case ASCII letters (the catalog's own country table decides which are known).
bool IsCountryCode(std::string_view code);

// A condition key: 1..50 of lowercase ASCII letters, digits, '-' and '_', e.g. "stroke".
bool IsConditionKey(std::string_view condition);

// A BCP 47 language tag of the common shape: a 2-3 letter language, then subtags of 2-8 letters or
// digits separated by '-', e.g. "ja", "en-US", "zh-Hant-TW".
bool IsLanguageTag(std::string_view tag);

// `tag` with its language subtag lower-cased and a 2-letter region upper-cased ("EN-us" ->
// "en-US").
std::string CanonicalLanguageTag(std::string_view tag);

// The language subtag, lower-cased ("pt-BR" -> "pt").
std::string PrimaryLanguage(std::string_view tag);

// An IANA time zone name that this machine's time zone database knows, e.g. "Asia/Tokyo".
bool IsKnownTimeZone(const std::string& name);

// local@domain.tld with a dot-atom local part and letter-digit-hyphen labels.
bool IsEmailAddress(std::string_view email);

// E.164: '+' then 8..15 digits, no leading zero.
bool IsE164(std::string_view phone);

// An https:// URL with a host and no whitespace or control characters.
bool IsHttpsUrl(std::string_view url);

// True when `text` contains a C0 control character or DEL (including newlines).
bool HasControlCharacters(std::string_view text);

// The number of Unicode code points of UTF-8 text.
size_t CodePoints(std::string_view text);

// "$5,000": a whole number of US dollars with thousands separators.
std::string FormatUsd(long long amount);

}  // namespace carebridge::catalog
