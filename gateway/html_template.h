// HTML templates with `{{name}}` placeholders (filled HTML-escaped) and `{{{name}}}` placeholders
// (filled as is, only with markup the gateway built from escaped parts). A placeholder without a
// value renders empty. The page text lives in the template files under web/, never in code.
// Immutable after Parse; safe to share between threads.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace carebridge::gateway {

// `text` with &, <, >, " and ' replaced by character references; safe in element content and in
// quoted attribute values.
std::string HtmlEscape(std::string_view text);

using TemplateValues = std::map<std::string, std::string, std::less<>>;

class HtmlTemplate {
 public:
  // INVALID_ARGUMENT when a "{{" has no closing "}}" or a name is empty.
  static absl::StatusOr<HtmlTemplate> Parse(std::string_view text);

  // The page with `values` escaped into {{name}} and `raw` inserted into {{{name}}}.
  std::string Render(const TemplateValues& values, const TemplateValues& raw = {}) const;

  // The text of each `<label for="id">Text ...</label>` (and `<legend id="id-legend">Text`) up to
  // the first tag inside it, trimmed and as written (HTML text, not escaped again): how the page
  // names its fields, used to name them in an error summary.
  std::map<std::string, std::string> LabelTexts() const;

 private:
  struct Chunk {
    enum class Kind { kText, kEscaped, kRaw };
    Kind kind;
    std::string text;  // literal text, or the placeholder name
  };
  std::vector<Chunk> chunks_;
  std::string source_;
};

}  // namespace carebridge::gateway
