#include "gateway/page_language.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace carebridge::gateway {
namespace {

// The page language whose code is `tag`'s primary subtag ("ja-JP" -> "ja"), or "".
std::string_view PageLanguageOf(absl::string_view tag) {
  const absl::string_view primary = tag.substr(0, tag.find('-'));
  for (std::string_view language : kPageLanguages) {
    if (absl::EqualsIgnoreCase(primary, absl::string_view(language.data(), language.size()))) {
      return language;
    }
  }
  return {};
}

}  // namespace

std::string_view ChoosePageLanguage(std::string_view requested, std::string_view accept_language) {
  for (std::string_view language : kPageLanguages) {
    if (requested == language) return language;
  }
  std::string_view best = kPageLanguages[0];
  double best_q = 0;
  for (absl::string_view item :
       absl::StrSplit(absl::string_view(accept_language.data(), accept_language.size()), ',')) {
    const std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    const std::string_view language = PageLanguageOf(absl::StripAsciiWhitespace(parts[0]));
    double q = 1.0;
    for (size_t i = 1; i < parts.size(); ++i) {
      const absl::string_view param = absl::StripAsciiWhitespace(parts[i]);
      if (absl::StartsWithIgnoreCase(param, "q=") && !absl::SimpleAtod(param.substr(2), &q)) q = 0;
    }
    // The first of equal weights wins: browsers list languages in order of preference.
    if (!language.empty() && q > best_q) {
      best = language;
      best_q = q;
    }
  }
  return best;
}

}  // namespace carebridge::gateway
