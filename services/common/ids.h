// Checks on the ids of the API. Pure functions, thread-safe.
#pragma once

#include <string_view>

namespace carebridge {

// True for the text form of a UUID (8-4-4-4-12 hex digits, either case): what every id of the
// suite is. Check before an id reaches a ::uuid cast, so a malformed id is NOT_FOUND or
// INVALID_ARGUMENT rather than a database error.
bool IsUuid(std::string_view text);

}  // namespace carebridge
