// Debian 12's abseil is built with its own absl::string_view (ABSL_OPTION_USE_STD_STRING_VIEW 0),
// which does not convert from std::string_view. Our interfaces use std::string_view; this bridges
// the two where a value is handed to absl (StrCat, Status messages, payloads).
#pragma once

#include <string_view>

#include "absl/strings/string_view.h"

namespace carebridge {

inline absl::string_view ToAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}
inline std::string_view FromAbsl(absl::string_view s) {
  return std::string_view(s.data(), s.size());
}

}  // namespace carebridge
