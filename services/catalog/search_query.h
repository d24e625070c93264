// The public search as the store runs it: SearchClinicsRequest validated and normalized into
// filters, a page size and a keyset position.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "carebridge/v1/catalog.pb.h"
#include "services/catalog/page_token.h"

namespace carebridge::catalog {

inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;

// Filters in stored form; an empty string (or 0, false) means "any".
struct SearchFilter {
  std::string condition;    // lower-case key
  std::string country;      // upper-case alpha-2
  std::string cell_source;  // "AUTOLOGOUS" / "ALLOGENEIC"
  std::string route;        // "INTRAVENOUS" / "INTRATHECAL"
  long long max_price_usd = 0;
  std::string language;  // primary language subtag, lower-case: "en" for "en-GB"
  bool interpreter = false;
};

struct SearchQuery {
  SearchFilter filter;
  int page_size = kDefaultPageSize;
  Keyset after;
};

// Errors: INVALID_ARGUMENT naming each bad field ("condition", "country", "cell_source", "route",
// "max_price_usd", "language", "page_size", "page_token"). page_size 0 means the default; sizes
// above 100 are served as 100.
absl::StatusOr<SearchQuery> ParseSearchRequest(const carebridge::v1::SearchClinicsRequest& request);

// A stable fingerprint of the filters (page tokens carry it).
uint64_t FilterFingerprint(const SearchFilter& filter);

// A key that identifies the query's result page (filters, page size and position), for caching.
std::string SearchCacheKey(const SearchQuery& query);

}  // namespace carebridge::catalog
