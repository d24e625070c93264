#include "services/catalog/text_checks.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "services/common/absl_compat.h"

namespace carebridge::catalog {
namespace {

bool AllOf(std::string_view s, int (*predicate)(int)) {
  return std::all_of(s.begin(), s.end(),
                     [predicate](char c) { return predicate(static_cast<unsigned char>(c)) != 0; });
}

bool IsAsciiAlpha(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return absl::ascii_isalpha(static_cast<unsigned char>(c)); });
}

bool IsAsciiAlnum(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)); });
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (absl::string_view part : absl::StrSplit(ToAbsl(text), separator)) {
    parts.push_back(FromAbsl(part));
  }
  return parts;
}

}  // namespace

std::string Trimmed(std::string_view text) {
  return std::string(absl::StripAsciiWhitespace(ToAbsl(text)));
}

bool IsCountryCode(std::string_view code) {
  return code.size() == 2 && AllOf(code, [](int c) { return c >= 'A' && c <= 'Z' ? 1 : 0; });
}

bool IsConditionKey(std::string_view condition) {
  return !condition.empty() && condition.size() <= 50 && AllOf(condition, [](int c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ? 1 : 0;
  });
}

bool IsLanguageTag(std::string_view tag) {
  if (tag.empty() || tag.size() > 35) return false;
  const std::vector<std::string_view> parts = Split(tag, '-');
  if (parts[0].size() < 2 || parts[0].size() > 3 || !IsAsciiAlpha(parts[0])) return false;
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].size() < 2 || parts[i].size() > 8 || !IsAsciiAlnum(parts[i])) return false;
  }
  return true;
}

std::string CanonicalLanguageTag(std::string_view tag) {
  std::vector<std::string_view> parts = Split(tag, '-');
  std::string out = absl::AsciiStrToLower(ToAbsl(parts[0]));
  for (size_t i = 1; i < parts.size(); ++i) {
    out += '-';
    if (parts[i].size() == 2 && IsAsciiAlpha(parts[i])) {
      out += absl::AsciiStrToUpper(ToAbsl(parts[i]));  // region
    } else if (parts[i].size() == 4 && IsAsciiAlpha(parts[i])) {
      out += absl::AsciiStrToUpper(ToAbsl(parts[i].substr(0, 1)));  // script: "Hant"
      out += absl::AsciiStrToLower(ToAbsl(parts[i].substr(1)));
    } else {
      out += absl::AsciiStrToLower(ToAbsl(parts[i]));
    }
  }
  return out;
}

std::string PrimaryLanguage(std::string_view tag) {
  return absl::AsciiStrToLower(ToAbsl(tag.substr(0, tag.find('-'))));
}

bool IsKnownTimeZone(const std::string& name) {
  absl::TimeZone zone;
  // LoadTimeZone also accepts fixed offsets such as "UTC+3"; clinics use region names.
  return name.find('/') != std::string::npos && absl::LoadTimeZone(name, &zone);
}

bool IsEmailAddress(std::string_view email) {
  if (email.size() > 254) return false;
  const size_t at = email.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  const std::string_view local = email.substr(0, at);
  constexpr std::string_view kAtext = "!#$%&'*+/=?^_`{|}~-";
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : local) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' &&
        kAtext.find(c) == std::string_view::npos) {
      return false;
    }
  }
  const std::vector<std::string_view> labels = Split(email.substr(at + 1), '.');
  if (labels.size() < 2) return false;
  for (std::string_view label : labels) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
  }
  return labels.back().size() >= 2 && IsAsciiAlpha(labels.back());
}

bool IsE164(std::string_view phone) {
  if (phone.size() < 9 || phone.size() > 16 || phone[0] != '+' || phone[1] == '0') return false;
  return AllOf(phone.substr(1), [](int c) { return c >= '0' && c <= '9' ? 1 : 0; });
}

bool IsHttpsUrl(std::string_view url) {
  constexpr std::string_view kScheme = "https://";
  if (url.size() > 2000 || url.substr(0, kScheme.size()) != kScheme) return false;
  const std::string_view rest = url.substr(kScheme.size());
  const std::string_view host = rest.substr(0, rest.find('/'));
  if (host.empty()) return false;
  return std::none_of(url.begin(), url.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) == 0x7f;
  });
}

bool HasControlCharacters(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) == 0x7f;
  });
}

size_t CodePoints(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string FormatUsd(long long amount) {
  const bool negative = amount < 0;
  std::string digits = std::to_string(negative ? -amount : amount);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (negative ? "-$" : "$") + out;
}

}  // namespace carebridge::catalog
