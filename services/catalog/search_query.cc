#include "services/catalog/search_query.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/catalog/catalog_validator.h"
#include "services/catalog/text_checks.h"
#include "services/common/errors.h"

namespace carebridge::catalog {
namespace {

std::string CanonicalFilterText(const SearchFilter& f) {
  // \x1f (unit separator) cannot occur in validated filter values.
  return absl::StrCat(f.condition, "\x1f", f.country, "\x1f", f.cell_source, "\x1f", f.route,
                      "\x1f", f.max_price_usd, "\x1f", f.language, "\x1f",
                      f.interpreter ? "1" : "0");
}

}  // namespace

absl::StatusOr<SearchQuery> ParseSearchRequest(const carebridge::v1::SearchClinicsRequest& in) {
  std::vector<FieldViolation> violations;
  SearchQuery query;
  SearchFilter& f = query.filter;

  f.condition = absl::AsciiStrToLower(Trimmed(in.condition()));
  if (!f.condition.empty() && !IsConditionKey(f.condition)) {
    violations.push_back({"condition", "must be a condition key such as \"stroke\""});
  }
  f.country = absl::AsciiStrToUpper(Trimmed(in.country()));
  if (!f.country.empty() && !IsCountryCode(f.country)) {
    violations.push_back({"country", "must be an ISO 3166-1 alpha-2 code such as \"JP\""});
  }
  switch (in.cell_source()) {
    case carebridge::v1::CELL_SOURCE_UNSPECIFIED:
    case carebridge::v1::NO_PREFERENCE:
      break;
    case carebridge::v1::AUTOLOGOUS:
    case carebridge::v1::ALLOGENEIC:
      f.cell_source = carebridge::v1::CellSource_Name(in.cell_source());
      break;
    default:
      violations.push_back({"cell_source", "must be AUTOLOGOUS, ALLOGENEIC or NO_PREFERENCE"});
  }
  if (in.route() == carebridge::v1::INTRAVENOUS || in.route() == carebridge::v1::INTRATHECAL) {
    f.route = carebridge::v1::DeliveryRoute_Name(in.route());
  } else if (in.route() != carebridge::v1::DELIVERY_ROUTE_UNSPECIFIED) {
    violations.push_back({"route", "must be INTRAVENOUS or INTRATHECAL"});
  }
  if (in.max_price_usd() < 0 || in.max_price_usd() > kMaxPriceUsd) {
    violations.push_back({"max_price_usd", "must be 0..10,000,000 (0: no limit)"});
  } else {
    f.max_price_usd = in.max_price_usd();
  }
  const std::string language = Trimmed(in.language());
  if (!language.empty()) {
    if (IsLanguageTag(language)) {
      f.language = PrimaryLanguage(language);
    } else {
      violations.push_back({"language", "must be a BCP 47 language tag such as \"en\""});
    }
  }
  f.interpreter = in.interpreter();

  if (in.page_size() < 0) {
    violations.push_back({"page_size", "must be 1..100 (0: the default, 20)"});
  } else if (in.page_size() > 0) {
    query.page_size = std::min(in.page_size(), kMaxPageSize);
  }
  if (!violations.empty()) return InvalidFields(violations);

  absl::StatusOr<Keyset> after = DecodePageToken(in.page_token(), FilterFingerprint(f));
  if (!after.ok()) return after.status();
  query.after = *std::move(after);
  return query;
}

uint64_t FilterFingerprint(const SearchFilter& filter) {
  return StableHash(CanonicalFilterText(filter));
}

std::string SearchCacheKey(const SearchQuery& query) {
  return absl::StrCat("search\x1e", CanonicalFilterText(query.filter), "\x1e", query.page_size,
                      "\x1e", query.after.after_name, "\x1e", query.after.after_id);
}

}  // namespace carebridge::catalog
