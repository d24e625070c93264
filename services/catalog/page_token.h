// Opaque page tokens for keyset paging over clinics in (name, id) order.
//
// A token is the base64url form of a carebridge.v1.CatalogPageCursor: the name and id of the last
// clinic of the previous page and a fingerprint of the query's filters, so a token cannot be
// replayed against a different query. Tokens are not secret (they only name a position), so they
// are not signed; they are validated on the way in. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace carebridge::catalog {

// Where a page starts: after the clinic (after_name, after_id); both empty for the first page.
struct Keyset {
  std::string after_name;
  std::string after_id;

  bool at_start() const { return after_id.empty(); }
};

std::string EncodePageToken(const Keyset& last, uint64_t filter_fingerprint);

// The keyset of `token` ("" is the first page). INVALID_ARGUMENT on field "page_token" when the
// token is malformed or was issued for other filters.
absl::StatusOr<Keyset> DecodePageToken(std::string_view token, uint64_t filter_fingerprint);

// FNV-1a, 64 bits: a stable hash (same in every process and build) for fingerprints.
uint64_t StableHash(std::string_view data);

}  // namespace carebridge::catalog
