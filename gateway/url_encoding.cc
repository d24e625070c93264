#include "gateway/url_encoding.h"

#include <curl/curl.h>

#include <algorithm>
#include <climits>

namespace carebridge::gateway {

std::string PercentDecode(std::string_view encoded) {
  if (encoded.find('%') == std::string_view::npos) return std::string(encoded);
  if (encoded.size() > static_cast<size_t>(INT_MAX)) return std::string(encoded);
  int out_length = 0;
  // Since curl 7.82 the handle argument is unused, so no easy handle is needed.
  char* decoded =
      curl_easy_unescape(nullptr, encoded.data(), static_cast<int>(encoded.size()), &out_length);
  if (decoded == nullptr) return std::string(encoded);
  std::string result(decoded, static_cast<size_t>(out_length));
  curl_free(decoded);
  return result;
}

FormPairs ParseUrlEncoded(std::string_view encoded) {
  FormPairs pairs;
  size_t start = 0;
  while (start <= encoded.size()) {
    size_t end = encoded.find('&', start);
    if (end == std::string_view::npos) end = encoded.size();
    std::string pair(encoded.substr(start, end - start));
    start = end + 1;
    if (pair.empty()) continue;
    std::replace(pair.begin(), pair.end(), '+', ' ');
    const size_t eq = pair.find('=');
    if (eq == std::string::npos) {
      pairs.emplace_back(PercentDecode(pair), "");
    } else {
      pairs.emplace_back(PercentDecode(std::string_view(pair).substr(0, eq)),
                         PercentDecode(std::string_view(pair).substr(eq + 1)));
    }
  }
  return pairs;
}

std::pair<std::string_view, std::string_view> SplitTarget(std::string_view target) {
  const size_t question = target.find('?');
  if (question == std::string_view::npos) return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

}  // namespace carebridge::gateway
