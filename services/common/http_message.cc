#include "services/common/http_message.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace carebridge {

std::string HttpRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return "";
}

void HttpResponse::SetHeader(std::string name, std::string value) {
  for (auto& [key, existing] : headers) {
    if (absl::EqualsIgnoreCase(key, name)) {
      existing = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::string MediaType(std::string_view content_type) {
  const absl::string_view type = absl::string_view(content_type.data(), content_type.size());
  const absl::string_view before_params = type.substr(0, type.find(';'));
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(before_params));
}

bool PrefersHtml(std::string_view accept) {
  double html = -1;
  double json = -1;
  int html_position = 0;
  int json_position = 0;
  int position = 0;
  for (absl::string_view item :
       absl::StrSplit(absl::string_view(accept.data(), accept.size()), ',')) {
    ++position;
    std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    const std::string type = absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[0]));
    double q = 1.0;
    for (size_t i = 1; i < parts.size(); ++i) {
      absl::string_view param = absl::StripAsciiWhitespace(parts[i]);
      if (absl::StartsWithIgnoreCase(param, "q=")) {
        if (!absl::SimpleAtod(param.substr(2), &q)) q = 0;
      }
    }
    if (type == "text/html" && q > html) {
      html = q;
      html_position = position;
    } else if (type == "application/json" && q > json) {
      json = q;
      json_position = position;
    }
  }
  if (html <= 0) return false;
  if (json < 0) return true;
  return html > json || (html == json && html_position < json_position);
}

}  // namespace carebridge
