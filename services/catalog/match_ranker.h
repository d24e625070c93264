// MatchCase: ranks the offered protocols of a case's condition against the case's preferences.
//
// Deterministic and documented (also in catalog.proto, MatchCaseResponse). Each preference the
// case states is either met -- a reason and points -- or missed -- a shortfall:
//   destination country   40   else "in MX, not JP as requested"
//   cell source           20   else "allogeneic cells, autologous preferred"
//   budget                30   when the whole price range fits; 15 when only its low end does;
//                              else "over budget by $5,000" (price_usd_min - budget)
//   language              10   staff speak it (same primary language); 5 through interpreters;
//                              else "no ja-speaking staff or interpreters"
//   interpreter need      10   else "no interpreter support"
// Matches are ordered by fewer shortfalls, then higher score, then less over budget, then lower
// price_usd_min, then protocol_id. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "carebridge/v1/catalog.pb.h"

namespace carebridge::catalog {

inline constexpr int kDefaultMatches = 10;
inline constexpr int kMaxMatches = 50;

// A MatchCaseRequest validated and normalized.
struct MatchPreferences {
  std::string condition;
  std::string destination_country;  // "" for no preference
  carebridge::v1::CellSource cell_source = carebridge::v1::CELL_SOURCE_UNSPECIFIED;  // or A/A
  std::optional<int64_t> budget_usd_max;
  std::string language;  // primary language subtag; "" for none
  bool needs_interpreter = false;
  int max_results = kDefaultMatches;
};

// Errors: INVALID_ARGUMENT naming each bad field ("condition" is required).
absl::StatusOr<MatchPreferences> ParseMatchRequest(const carebridge::v1::MatchCaseRequest& request);

// Ranks every protocol of `clinics` (already filtered to offered clinics and protocols of the
// condition) and returns the best `max_results`.
carebridge::v1::MatchCaseResponse RankMatches(const MatchPreferences& preferences,
                                              const std::vector<carebridge::v1::Clinic>& clinics);

}  // namespace carebridge::catalog
