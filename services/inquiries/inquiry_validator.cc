#include "services/inquiries/inquiry_validator.h"

#include <algorithm>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "services/common/absl_compat.h"

namespace carebridge::inquiries {
namespace {

using carebridge::v1::Inquiry;

// ISO 3166-1 alpha-2 officially assigned codes.
constexpr std::string_view kIsoCountries =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR "
    "BS "
    "BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC "
    "EE "
    "EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK "
    "HM "
    "HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB "
    "LC "
    "LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ "
    "NA "
    "NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU "
    "RW "
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN "
    "TO "
    "TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

std::string Trim(const std::string& s) { return std::string(absl::StripAsciiWhitespace(s)); }

// Number of Unicode code points in UTF-8 text (protobuf guarantees proto3 strings are UTF-8).
size_t CodePoints(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool HasControlCharacters(std::string_view text, bool allow_newlines) {
  for (unsigned char c : text) {
    if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) continue;
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

bool IsAlpha(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return absl::ascii_isalpha(static_cast<unsigned char>(c));
  });
}
bool IsAlnum(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c));
  });
}
bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

bool ParseDate(const std::string& text, absl::CivilDay* day) {
  // Strictly YYYY-MM-DD; absl also accepts other widths, so the shape is checked first.
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  if (!absl::ParseCivilTime(text, day)) return false;
  return absl::FormatCivilTime(*day) == text;  // rejects normalized dates such as 2026-02-30
}

std::string StripPhonePunctuation(const std::string& phone) {
  std::string out;
  for (char c : phone) {
    if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') continue;
    out += c;
  }
  return out;
}

}  // namespace

bool IsValidEmail(std::string_view email) {
  if (email.size() > 254) return false;
  const auto at = email.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  const std::string_view local = email.substr(0, at);
  const std::string_view domain = email.substr(at + 1);
  // Local part: RFC 5322 dot-atom (no quoted strings).
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
  // Domain: at least two labels of letters, digits and inner hyphens; an alphabetic TLD of 2+.
  std::vector<std::string_view> labels;
  for (absl::string_view part : absl::StrSplit(ToAbsl(domain), '.'))
    labels.push_back(FromAbsl(part));
  if (labels.size() < 2) return false;
  for (std::string_view label : labels) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
  }
  return labels.back().size() >= 2 && IsAlpha(labels.back());
}

bool IsValidE164(std::string_view phone) {
  if (phone.size() < 9 || phone.size() > 16 || phone[0] != '+') return false;
  const std::string_view digits = phone.substr(1);
  return IsDigits(digits) && digits[0] != '0';
}

bool IsIsoCountryCode(std::string_view code) {
  if (code.size() != 2 || !IsAlpha(code)) return false;
  for (size_t i = 0; i < kIsoCountries.size(); i += 3) {
    if (kIsoCountries.substr(i, 2) == code) return true;
  }
  return false;
}

bool IsBcp47LanguageTag(std::string_view tag) {
  // language ["-" script] ["-" region] *("-" variant): the common, well-formed subset of BCP 47.
  if (tag.empty() || tag.size() > 35) return false;
  std::vector<std::string_view> parts;
  for (absl::string_view part : absl::StrSplit(ToAbsl(tag), '-')) parts.push_back(FromAbsl(part));
  if (!IsAlpha(parts[0]) || parts[0].size() < 2 || parts[0].size() > 8 || parts[0].size() == 4) {
    return false;
  }
  size_t i = 1;
  if (i < parts.size() && parts[i].size() == 4 && IsAlpha(parts[i])) ++i;  // script
  if (i < parts.size() && ((parts[i].size() == 2 && IsAlpha(parts[i])) ||
                           (parts[i].size() == 3 && IsDigits(parts[i])))) {
    ++i;  // region
  }
  for (; i < parts.size(); ++i) {  // variants (5-8 alnum, or 4 starting with a digit)
    const std::string_view v = parts[i];
    const bool variant = IsAlnum(v) && ((v.size() >= 5 && v.size() <= 8) ||
                                        (v.size() == 4 && absl::ascii_isdigit(v[0])));
    if (!variant) return false;
  }
  return true;
}

std::string NormalizedEmail(std::string_view email) {
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(ToAbsl(email)));
}

Inquiry NormalizeInquiry(const Inquiry& in) {
  Inquiry out = in;
  out.set_full_name(Trim(in.full_name()));
  out.set_email(Trim(in.email()));
  out.set_phone(StripPhonePunctuation(Trim(in.phone())));
  out.set_country_of_residence(absl::AsciiStrToUpper(Trim(in.country_of_residence())));
  out.set_preferred_language(Trim(in.preferred_language()));
  out.set_condition(absl::AsciiStrToLower(Trim(in.condition())));
  out.set_destination_country(absl::AsciiStrToUpper(Trim(in.destination_country())));
  out.set_travel_window_start(Trim(in.travel_window_start()));
  out.set_travel_window_end(Trim(in.travel_window_end()));
  out.set_message(Trim(in.message()));
  out.set_privacy_policy_version(Trim(in.privacy_policy_version()));
  out.set_partner_reference(Trim(in.partner_reference()));
  out.set_utm_source(Trim(in.utm_source()));
  out.set_utm_medium(Trim(in.utm_medium()));
  out.set_utm_campaign(Trim(in.utm_campaign()));
  out.set_source_page(Trim(in.source_page()));
  return out;
}

std::vector<FieldViolation> ValidateInquiry(const Inquiry& raw, absl::CivilDay today) {
  const Inquiry in = NormalizeInquiry(raw);
  std::vector<FieldViolation> v;
  auto bad = [&v](std::string field, std::string description) {
    v.push_back({std::move(field), std::move(description)});
  };

  if (in.full_name().empty()) {
    bad("full_name", "Please enter the patient's or your full name.");
  } else if (CodePoints(in.full_name()) > kMaxNameChars) {
    bad("full_name", absl::StrCat("Must be at most ", kMaxNameChars, " characters."));
  } else if (HasControlCharacters(in.full_name(), false)) {
    bad("full_name", "Must not contain control characters.");
  }

  if (in.email().empty()) {
    bad("email", "Please enter an email address.");
  } else if (!IsValidEmail(in.email())) {
    bad("email", "Must be an email address such as name@example.com.");
  }

  if (!in.phone().empty() && !IsValidE164(in.phone())) {
    bad("phone",
        "Must be an international number starting with + and the country code, "
        "such as +81 3 1234 5678.");
  }
  if (!in.country_of_residence().empty() && !IsIsoCountryCode(in.country_of_residence())) {
    bad("country_of_residence", "Must be a two-letter ISO 3166-1 country code, such as DE.");
  }
  if (!in.preferred_language().empty() && !IsBcp47LanguageTag(in.preferred_language())) {
    bad("preferred_language", "Must be a language tag such as en, ja or pt-BR.");
  }
  if (in.has_patient_age() && (in.patient_age() < 0 || in.patient_age() > 120)) {
    bad("patient_age", "Must be between 0 and 120.");
  }
  if (!in.condition().empty()) {
    const bool slug = in.condition().size() <= 64 &&
                      std::all_of(in.condition().begin(), in.condition().end(), [](char c) {
                        return absl::ascii_islower(static_cast<unsigned char>(c)) ||
                               absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-' ||
                               c == '_';
                      });
    if (!slug) bad("condition", "Must be a condition code such as stroke (letters, digits, -, _).");
  }
  if (!carebridge::v1::StrokeType_IsValid(in.stroke_type())) {
    bad("stroke_type", "Must be ISCHAEMIC, HAEMORRHAGIC or STROKE_TYPE_UNKNOWN.");
  }
  if (in.has_months_since_event() &&
      (in.months_since_event() < 0 || in.months_since_event() > 600)) {
    bad("months_since_event", "Must be between 0 and 600 months.");
  }
  if (in.has_mrs_score() && (in.mrs_score() < 0 || in.mrs_score() > 6)) {
    bad("mrs_score", "The modified Rankin Scale score must be between 0 and 6.");
  }
  if (!in.destination_country().empty() && !IsIsoCountryCode(in.destination_country())) {
    bad("destination_country", "Must be a two-letter ISO 3166-1 country code, such as JP.");
  }
  if (!carebridge::v1::CellSource_IsValid(in.cell_source())) {
    bad("cell_source", "Must be AUTOLOGOUS, ALLOGENEIC or NO_PREFERENCE.");
  }
  if (in.has_budget_usd_max() && (in.budget_usd_max() < 0 || in.budget_usd_max() > 10'000'000)) {
    bad("budget_usd_max", "Must be between 0 and 10,000,000 USD.");
  }

  absl::CivilDay start, end;
  const bool has_start = !in.travel_window_start().empty();
  const bool has_end = !in.travel_window_end().empty();
  const bool start_ok = has_start && ParseDate(in.travel_window_start(), &start);
  const bool end_ok = has_end && ParseDate(in.travel_window_end(), &end);
  if (has_start && !start_ok) bad("travel_window_start", "Must be a date as YYYY-MM-DD.");
  if (has_end && !end_ok) bad("travel_window_end", "Must be a date as YYYY-MM-DD.");
  if (start_ok && end_ok && end < start) {
    bad("travel_window_end", "Must not be before the start of the travel window.");
  } else if (end_ok && end < today) {
    bad("travel_window_end", "The travel window must not lie in the past.");
  }

  if (CodePoints(in.message()) > kMaxMessageChars) {
    bad("message", absl::StrCat("Must be at most ", kMaxMessageChars, " characters."));
  } else if (HasControlCharacters(in.message(), true)) {
    bad("message", "Must not contain control characters.");
  }

  if (!in.contact_consent()) {
    bad("contact_consent", "Please agree to be contacted so that we can answer you.");
  }
  if (in.privacy_policy_version().empty()) {
    bad("privacy_policy_version", "The version of the privacy policy shown is required.");
  } else if (in.privacy_policy_version().size() > 32) {
    bad("privacy_policy_version", "Must be at most 32 characters.");
  }

  struct Bound {
    const char* field;
    const std::string& value;
    size_t max;
  };
  for (const Bound& b :
       {Bound{"partner_reference", in.partner_reference(), 100},
        Bound{"utm_source", in.utm_source(), 200}, Bound{"utm_medium", in.utm_medium(), 200},
        Bound{"utm_campaign", in.utm_campaign(), 200},
        Bound{"source_page", in.source_page(), 2000}}) {
    if (CodePoints(b.value) > b.max) {
      bad(b.field, absl::StrCat("Must be at most ", b.max, " characters."));
    } else if (HasControlCharacters(b.value, false)) {
      bad(b.field, "Must not contain control characters.");
    }
  }
  return v;
}

}  // namespace carebridge::inquiries
