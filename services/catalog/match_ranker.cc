#include "services/catalog/match_ranker.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/catalog/catalog_validator.h"
#include "services/catalog/text_checks.h"
#include "services/common/errors.h"

namespace carebridge::catalog {
namespace {

using carebridge::v1::Clinic;
using carebridge::v1::ProtocolMatch;

constexpr int kDestinationPoints = 40;
constexpr int kCellSourcePoints = 20;
constexpr int kWholeBudgetPoints = 30;
constexpr int kLowEndBudgetPoints = 15;
constexpr int kLanguagePoints = 10;
constexpr int kInterpretedLanguagePoints = 5;
constexpr int kInterpreterPoints = 10;

std::string SourceWord(carebridge::v1::CellSource source) {
  return source == carebridge::v1::AUTOLOGOUS ? "autologous" : "allogeneic";
}

struct Scored {
  ProtocolMatch match;
  int64_t over_budget = 0;
};

class Scorer {
 public:
  explicit Scorer(ProtocolMatch* match) : match_(match) {}
  void Meet(int points, std::string reason) {
    match_->set_score(match_->score() + points);
    match_->add_reasons(std::move(reason));
  }
  void Miss(std::string shortfall) {
    match_->set_shortfall_count(match_->shortfall_count() + 1);
    match_->add_shortfalls(std::move(shortfall));
  }

 private:
  ProtocolMatch* match_;
};

bool Speaks(const Clinic& clinic, const std::string& primary) {
  return std::any_of(clinic.languages().begin(), clinic.languages().end(),
                     [&](const std::string& tag) { return PrimaryLanguage(tag) == primary; });
}

Scored Score(const MatchPreferences& prefs, const Clinic& clinic,
             const carebridge::v1::Protocol& protocol) {
  Scored scored;
  ProtocolMatch& m = scored.match;
  *m.mutable_protocol() = protocol;
  m.set_clinic_id(clinic.clinic_id());
  m.set_clinic_name(clinic.name());
  m.set_country(clinic.country());
  m.set_city(clinic.city());
  auto* estimate = m.mutable_estimate();
  estimate->set_treatment_usd_min(protocol.price_usd_min());
  estimate->set_treatment_usd_max(protocol.price_usd_max());
  estimate->set_trips(protocol.trip_plan().trips());
  estimate->set_days_away_min(protocol.trip_plan().trips() * protocol.trip_plan().days_min());
  estimate->set_days_away_max(protocol.trip_plan().trips() * protocol.trip_plan().days_max());
  estimate->set_culture_weeks_min(protocol.culture_weeks_min());
  estimate->set_culture_weeks_max(protocol.culture_weeks_max());

  Scorer scorer(&m);
  if (!prefs.destination_country.empty()) {
    if (clinic.country() == prefs.destination_country) {
      scorer.Meet(kDestinationPoints, absl::StrCat("in ", clinic.country(), " as requested"));
    } else {
      scorer.Miss(absl::StrCat("in ", clinic.country(), ", not ", prefs.destination_country,
                               " as requested"));
    }
  }
  if (prefs.cell_source == carebridge::v1::AUTOLOGOUS ||
      prefs.cell_source == carebridge::v1::ALLOGENEIC) {
    if (protocol.cell_source() == prefs.cell_source) {
      scorer.Meet(kCellSourcePoints,
                  absl::StrCat(SourceWord(protocol.cell_source()), " cells as preferred"));
    } else {
      scorer.Miss(absl::StrCat(SourceWord(protocol.cell_source()), " cells, ",
                               SourceWord(prefs.cell_source), " preferred"));
    }
  }
  if (prefs.budget_usd_max.has_value()) {
    const int64_t budget = *prefs.budget_usd_max;
    const std::string range =
        absl::StrCat(FormatUsd(protocol.price_usd_min()), "-", FormatUsd(protocol.price_usd_max()));
    if (protocol.price_usd_max() <= budget) {
      scorer.Meet(kWholeBudgetPoints,
                  absl::StrCat("within budget (", range, " of ", FormatUsd(budget), ")"));
    } else if (protocol.price_usd_min() <= budget) {
      scorer.Meet(kLowEndBudgetPoints, absl::StrCat("budget covers the low end of ", range));
    } else {
      scored.over_budget = protocol.price_usd_min() - budget;
      scorer.Miss(absl::StrCat("over budget by ", FormatUsd(scored.over_budget)));
    }
  }
  if (!prefs.language.empty()) {
    if (Speaks(clinic, prefs.language)) {
      scorer.Meet(kLanguagePoints, absl::StrCat("staff speak ", prefs.language));
    } else if (clinic.interpreter_support()) {
      scorer.Meet(kInterpretedLanguagePoints, absl::StrCat("interpreters for ", prefs.language));
    } else {
      scorer.Miss(absl::StrCat("no ", prefs.language, "-speaking staff or interpreters"));
    }
  }
  if (prefs.needs_interpreter) {
    if (clinic.interpreter_support()) {
      scorer.Meet(kInterpreterPoints, "medical interpreter support");
    } else {
      scorer.Miss("no interpreter support");
    }
  }
  return scored;
}

}  // namespace

absl::StatusOr<MatchPreferences> ParseMatchRequest(const carebridge::v1::MatchCaseRequest& in) {
  std::vector<FieldViolation> violations;
  MatchPreferences prefs;
  prefs.condition = absl::AsciiStrToLower(Trimmed(in.condition()));
  if (prefs.condition.empty()) {
    violations.push_back({"condition", "is required"});
  } else if (!IsConditionKey(prefs.condition)) {
    violations.push_back({"condition", "must be a condition key such as \"stroke\""});
  }
  prefs.destination_country = absl::AsciiStrToUpper(Trimmed(in.destination_country()));
  if (!prefs.destination_country.empty() && !IsCountryCode(prefs.destination_country)) {
    violations.push_back({"destination_country", "must be an ISO 3166-1 alpha-2 code"});
  }
  if (!carebridge::v1::CellSource_IsValid(in.cell_source())) {
    violations.push_back({"cell_source", "must be AUTOLOGOUS, ALLOGENEIC or NO_PREFERENCE"});
  } else {
    prefs.cell_source = in.cell_source();
  }
  if (in.has_budget_usd_max()) {
    if (in.budget_usd_max() < 0 || in.budget_usd_max() > kMaxPriceUsd) {
      violations.push_back({"budget_usd_max", "must be 0..10,000,000"});
    } else {
      prefs.budget_usd_max = in.budget_usd_max();
    }
  }
  const std::string language = Trimmed(in.preferred_language());
  if (!language.empty()) {
    if (IsLanguageTag(language)) {
      prefs.language = PrimaryLanguage(language);
    } else {
      violations.push_back({"preferred_language", "must be a BCP 47 language tag"});
    }
  }
  prefs.needs_interpreter = in.needs_interpreter();
  if (in.max_results() < 0) {
    violations.push_back({"max_results", "must be 1..50 (0: the default, 10)"});
  } else if (in.max_results() > 0) {
    prefs.max_results = std::min(in.max_results(), kMaxMatches);
  }
  if (!violations.empty()) return InvalidFields(violations);
  return prefs;
}

carebridge::v1::MatchCaseResponse RankMatches(const MatchPreferences& prefs,
                                              const std::vector<Clinic>& clinics) {
  std::vector<Scored> scored;
  for (const Clinic& clinic : clinics) {
    for (const auto& protocol : clinic.protocols()) {
      if (protocol.condition() != prefs.condition) continue;
      scored.push_back(Score(prefs, clinic, protocol));
    }
  }
  auto key = [](const Scored& s) {
    return std::make_tuple(s.match.shortfall_count(), -s.match.score(), s.over_budget,
                           s.match.protocol().price_usd_min(),
                           std::cref(s.match.protocol().protocol_id()));
  };
  std::sort(scored.begin(), scored.end(),
            [&](const Scored& a, const Scored& b) { return key(a) < key(b); });
  carebridge::v1::MatchCaseResponse response;
  response.set_candidates(static_cast<int>(scored.size()));
  for (size_t i = 0; i < scored.size() && static_cast<int>(i) < prefs.max_results; ++i) {
    *response.add_matches() = std::move(scored[i].match);
  }
  return response;
}

}  // namespace carebridge::catalog
