#include "gateway/html_template.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace carebridge::gateway {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

absl::StatusOr<HtmlTemplate> HtmlTemplate::Parse(std::string_view text) {
  HtmlTemplate result;
  result.source_ = std::string(text);
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      result.chunks_.push_back({Chunk::Kind::kText, std::string(text.substr(pos))});
      break;
    }
    if (open > pos)
      result.chunks_.push_back({Chunk::Kind::kText, std::string(text.substr(pos, open - pos))});
    const bool raw = text.substr(open, 3) == "{{{";
    const std::string_view closing = raw ? "}}}" : "}}";
    const size_t name_start = open + (raw ? 3 : 2);
    const size_t close = text.find(closing, name_start);
    if (close == std::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("unclosed placeholder at offset ", open));
    }
    const absl::string_view name =
        absl::StripAsciiWhitespace(absl::string_view(text.data() + name_start, close - name_start));
    if (name.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("empty placeholder at offset ", open));
    }
    result.chunks_.push_back({raw ? Chunk::Kind::kRaw : Chunk::Kind::kEscaped, std::string(name)});
    pos = close + closing.size();
  }
  return result;
}

std::string HtmlTemplate::Render(const TemplateValues& values, const TemplateValues& raw) const {
  std::string out;
  out.reserve(source_.size() + 1024);
  for (const Chunk& chunk : chunks_) {
    switch (chunk.kind) {
      case Chunk::Kind::kText:
        out += chunk.text;
        break;
      case Chunk::Kind::kEscaped:
        if (auto it = values.find(chunk.text); it != values.end()) out += HtmlEscape(it->second);
        break;
      case Chunk::Kind::kRaw:
        if (auto it = raw.find(chunk.text); it != raw.end()) out += it->second;
        break;
    }
  }
  return out;
}

std::map<std::string, std::string> HtmlTemplate::LabelTexts() const {
  std::map<std::string, std::string> labels;
  constexpr std::string_view kOpen = "<label for=\"";
  size_t pos = 0;
  while ((pos = source_.find(kOpen, pos)) != std::string::npos) {
    const size_t id_start = pos + kOpen.size();
    const size_t id_end = source_.find('"', id_start);
    if (id_end == std::string::npos) break;
    const size_t text_start = source_.find('>', id_end);
    if (text_start == std::string::npos) break;
    const size_t text_end = source_.find('<', text_start + 1);
    if (text_end == std::string::npos) break;
    labels[source_.substr(id_start, id_end - id_start)] = std::string(absl::StripAsciiWhitespace(
        absl::string_view(source_).substr(text_start + 1, text_end - text_start - 1)));
    pos = text_end;
  }
  // A group of radio buttons is named by its legend: <legend id="name-legend">Text</legend>.
  constexpr std::string_view kLegend = "<legend id=\"";
  pos = 0;
  while ((pos = source_.find(kLegend, pos)) != std::string::npos) {
    const size_t id_start = pos + kLegend.size();
    const size_t id_end = source_.find("-legend\"", id_start);
    const size_t text_start = source_.find('>', id_start);
    if (id_end == std::string::npos || text_start == std::string::npos) break;
    const size_t text_end = source_.find('<', text_start + 1);
    if (text_end == std::string::npos) break;
    if (id_end < text_start) {
      labels[source_.substr(id_start, id_end - id_start)] = std::string(absl::StripAsciiWhitespace(
          absl::string_view(source_).substr(text_start + 1, text_end - text_start - 1)));
    }
    pos = text_end;
  }
  return labels;
}

}  // namespace carebridge::gateway
