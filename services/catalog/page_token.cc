#include "services/catalog/page_token.h"

#include "absl/strings/escaping.h"
#include "carebridge/v1/catalog.pb.h"
#include "services/catalog/text_checks.h"
#include "services/common/absl_compat.h"
#include "services/common/errors.h"

namespace carebridge::catalog {
namespace {

constexpr size_t kMaxTokenChars = 1024;

absl::Status BadToken() {
  return InvalidFields(
      {{"page_token", "is not a page token of this search; start again without it"}});
}

}  // namespace

std::string EncodePageToken(const Keyset& last, uint64_t filter_fingerprint) {
  carebridge::v1::CatalogPageCursor cursor;
  cursor.set_after_name(last.after_name);
  cursor.set_after_id(last.after_id);
  cursor.set_filter_fingerprint(filter_fingerprint);
  std::string token;
  absl::WebSafeBase64Escape(cursor.SerializeAsString(), &token);
  return token;
}

absl::StatusOr<Keyset> DecodePageToken(std::string_view token, uint64_t filter_fingerprint) {
  if (token.empty()) return Keyset{};
  if (token.size() > kMaxTokenChars) return BadToken();
  std::string bytes;
  if (!absl::WebSafeBase64Unescape(ToAbsl(token), &bytes)) return BadToken();
  carebridge::v1::CatalogPageCursor cursor;
  if (!cursor.ParseFromString(bytes)) return BadToken();
  if (cursor.filter_fingerprint() != filter_fingerprint || !IsUuid(cursor.after_id()) ||
      cursor.after_name().empty()) {
    return BadToken();
  }
  return Keyset{cursor.after_name(), cursor.after_id()};
}

uint64_t StableHash(std::string_view data) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace carebridge::catalog
