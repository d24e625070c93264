// Validation and normalization of what admins write: clinics and protocols.
//
// Pure logic (no I/O), so every rule is unit-tested on its own. All violations are collected, so a
// form can mark every bad field at once. Field names are proto field paths relative to the
// resource, e.g. "name", "license.expires_at", "price_usd_min", "trip_plan.days_max".
#pragma once

#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "carebridge/v1/catalog.pb.h"
#include "services/common/errors.h"

namespace carebridge::catalog {

inline constexpr long long kMaxPriceUsd = 10'000'000;

// The rules: name 1..200 characters and city 1..100 (no control characters); country one of
// `known_countries`; time_zone an IANA zone; licence authority and number given (1..100
// characters), verified_at given and not after `now`, expires_at given and after verified_at;
// languages at least one, each a BCP 47 tag, no repeats; contact email, phone (E.164) and website
// (https) well-formed when given.
std::vector<FieldViolation> ValidateClinic(const carebridge::v1::Clinic& clinic, absl::Time now,
                                           const std::set<std::string>& known_countries);

// The rules: clinic_id a UUID; condition a key such as "stroke"; cell_source AUTOLOGOUS or
// ALLOGENEIC; cell_type, route and each outcome measure a known value; cell_count_millions
// 1..100,000; 0 < price_usd_min <= price_usd_max <= 10,000,000; autologous cells need
// 1 <= culture_weeks_min <= culture_weeks_max <= 26 and allogeneic cells none (both 0); trip plan
// trips 1..4 and 1 <= days_min <= days_max <= 90; side effects 1..200 characters each, at most 20;
// the ASRM risk class a known value (or unset) and its texts at most 200 characters. A missing
// ASRM plan is not a validation error: the protocol is saved and flagged as not offered.
std::vector<FieldViolation> ValidateProtocol(const carebridge::v1::Protocol& protocol);

// Strings trimmed, languages in canonical case ("EN-us" -> "en-US"), country upper-cased, output
// fields (id aside) cleared. Never rejects.
carebridge::v1::Clinic NormalizeClinic(const carebridge::v1::Clinic& clinic);

// Strings trimmed, condition lower-cased, output fields (ids aside) cleared. Never rejects.
carebridge::v1::Protocol NormalizeProtocol(const carebridge::v1::Protocol& protocol);

}  // namespace carebridge::catalog
