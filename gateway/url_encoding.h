// URL pieces the gateway decodes: percent-encoded path segments, query strings and
// application/x-www-form-urlencoded bodies. Percent-decoding is libcurl's (curl_easy_unescape);
// this unit only splits on '&' / '=' and turns '+' into a space first, as HTML forms encode it.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace carebridge::gateway {

using FormPairs = std::vector<std::pair<std::string, std::string>>;

// `%XX` sequences decoded; '+' left as is (path segments). Malformed escapes are kept literally.
std::string PercentDecode(std::string_view encoded);

// Name/value pairs of a query string or urlencoded body, in order, '+' read as a space and then
// percent-decoded. A pair without '=' has an empty value; empty pairs ("a=1&&b=2") are skipped.
FormPairs ParseUrlEncoded(std::string_view encoded);

// Splits a request target "/path?query" into its path and query (either may be empty).
std::pair<std::string_view, std::string_view> SplitTarget(std::string_view target);

}  // namespace carebridge::gateway
