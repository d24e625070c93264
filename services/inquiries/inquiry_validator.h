// Validation and normalization of an inquiry, as the contact form and partners send it.
//
// Pure logic (no I/O), so every rule is unit-tested on its own. The rules follow PRODUCT.md and the
// field comments of protos/carebridge/v1/inquiries.proto. All violations are collected, so a form
// can mark every bad field at once.
#pragma once

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "carebridge/v1/inquiries.pb.h"
#include "services/common/errors.h"

namespace carebridge::inquiries {

inline constexpr size_t kMaxMessageChars = 5000;
inline constexpr size_t kMaxNameChars = 200;

// Returns every rule `inquiry` breaks (empty when valid). `today` (UTC) bounds the travel window:
// a window that ended before today is refused. Field names are Inquiry's proto field names.
std::vector<FieldViolation> ValidateInquiry(const carebridge::v1::Inquiry& inquiry,
                                            absl::CivilDay today);

// The inquiry as stored: strings trimmed, phone reduced to E.164 ("+81 3-1234-5678" ->
// "+81312345678"), country codes upper-cased, condition lower-cased. Call on a valid inquiry (or on
// any inquiry before validation: normalization never rejects).
carebridge::v1::Inquiry NormalizeInquiry(const carebridge::v1::Inquiry& inquiry);

// Individual rules, exposed for tests and for reuse by other services.
bool IsValidEmail(std::string_view email);
bool IsValidE164(std::string_view phone);
bool IsIsoCountryCode(std::string_view code);
bool IsBcp47LanguageTag(std::string_view tag);

// The lower-cased form used to recognize the same person across inquiries.
std::string NormalizedEmail(std::string_view email);

}  // namespace carebridge::inquiries
