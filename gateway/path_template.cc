#include "gateway/path_template.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gateway/url_encoding.h"

namespace carebridge::gateway {
namespace {

bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!alpha && !(digit && i > 0)) return false;
  }
  return true;
}

bool IsFieldPath(std::string_view s) {
  for (absl::string_view part : absl::StrSplit(absl::string_view(s.data(), s.size()), '.')) {
    if (!IsIdentifier(std::string_view(part.data(), part.size()))) return false;
  }
  return true;
}

bool IsLiteral(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c == '/' || c == '{' || c == '}' || c == '*' || c == ':' || c == '=' || c == '?' ||
        c == '#') {
      return false;
    }
  }
  return true;
}

// Splits `s` on '/' outside braces.
std::vector<std::string_view> SplitSegments(std::string_view s) {
  std::vector<std::string_view> parts;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '{') ++depth;
    if (s[i] == '}') --depth;
    if (s[i] == '/' && depth == 0) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(s.substr(start));
  return parts;
}

}  // namespace

absl::StatusOr<PathTemplate> PathTemplate::Parse(std::string_view pattern) {
  auto invalid = [&](std::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid path template \"", std::string(pattern), "\": ", std::string(why)));
  };
  if (pattern.empty() || pattern[0] != '/') return invalid("must start with '/'");
  PathTemplate result;
  result.pattern_ = std::string(pattern);
  std::string_view rest = pattern.substr(1);

  // The verb is a ':' after the last '/' and outside any variable.
  int depth = 0;
  size_t verb_colon = std::string_view::npos;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '{') ++depth;
    if (rest[i] == '}') --depth;
    if (depth < 0 || depth > 1) return invalid("unbalanced or nested braces");
    if (rest[i] == '/' && depth == 0) verb_colon = std::string_view::npos;
    if (rest[i] == ':' && depth == 0) verb_colon = i;
  }
  if (depth != 0) return invalid("unbalanced braces");
  if (verb_colon != std::string_view::npos) {
    result.verb_ = std::string(rest.substr(verb_colon + 1));
    if (!IsLiteral(result.verb_)) return invalid("bad verb");
    rest = rest.substr(0, verb_colon);
  }

  for (std::string_view part : SplitSegments(rest)) {
    if (!part.empty() && part.front() == '{') {
      if (part.back() != '}') return invalid("a variable must be a whole segment");
      std::string_view inner = part.substr(1, part.size() - 2);
      std::string_view field = inner;
      std::string_view sub_pattern = "*";
      if (const size_t eq = inner.find('='); eq != std::string_view::npos) {
        field = inner.substr(0, eq);
        sub_pattern = inner.substr(eq + 1);
      }
      if (!IsFieldPath(field)) return invalid("bad field path");
      Variable variable{std::string(field), result.segments_.size(), 0};
      for (std::string_view sub : SplitSegments(sub_pattern)) {
        if (sub == "*") {
          result.segments_.push_back({SegmentKind::kWildcard, ""});
        } else if (sub == "**") {
          result.segments_.push_back({SegmentKind::kDoubleWildcard, ""});
        } else if (IsLiteral(sub)) {
          result.segments_.push_back({SegmentKind::kLiteral, std::string(sub)});
        } else {
          return invalid("bad segment in variable");
        }
      }
      variable.end_segment = result.segments_.size();
      result.variables_.push_back(std::move(variable));
    } else if (part == "*") {
      result.segments_.push_back({SegmentKind::kWildcard, ""});
    } else if (part == "**") {
      result.segments_.push_back({SegmentKind::kDoubleWildcard, ""});
    } else if (IsLiteral(part)) {
      result.segments_.push_back({SegmentKind::kLiteral, std::string(part)});
    } else {
      return invalid("bad segment");
    }
  }
  for (size_t i = 0; i + 1 < result.segments_.size(); ++i) {
    if (result.segments_[i].kind == SegmentKind::kDoubleWildcard) {
      return invalid("'**' must be the last segment");
    }
  }
  return result;
}

std::optional<std::vector<PathBinding>> PathTemplate::Match(std::string_view path) const {
  if (path.empty() || path[0] != '/') return std::nullopt;
  path.remove_prefix(1);
  if (!verb_.empty()) {
    const std::string suffix = absl::StrCat(":", verb_);
    if (path.size() <= suffix.size() || path.substr(path.size() - suffix.size()) != suffix) {
      return std::nullopt;
    }
    path.remove_suffix(suffix.size());
  }
  std::vector<std::string_view> parts;
  for (absl::string_view part : absl::StrSplit(absl::string_view(path.data(), path.size()), '/')) {
    parts.emplace_back(part.data(), part.size());
  }
  const bool double_wildcard = has_double_wildcard();
  if (double_wildcard ? parts.size() < segments_.size() : parts.size() != segments_.size()) {
    return std::nullopt;
  }
  for (size_t i = 0; i < segments_.size(); ++i) {
    const Segment& segment = segments_[i];
    if (segment.kind == SegmentKind::kLiteral && parts[i] != segment.literal) return std::nullopt;
    if (segment.kind == SegmentKind::kWildcard && parts[i].empty()) return std::nullopt;
  }
  std::vector<PathBinding> bindings;
  for (const Variable& variable : variables_) {
    size_t end = variable.end_segment;
    if (end == segments_.size() && double_wildcard) end = parts.size();
    std::vector<std::string> decoded;
    for (size_t i = variable.first_segment; i < end; ++i)
      decoded.push_back(PercentDecode(parts[i]));
    bindings.push_back({variable.field_path, absl::StrJoin(decoded, "/")});
  }
  return bindings;
}

int PathTemplate::literal_count() const {
  int count = 0;
  for (const Segment& segment : segments_) count += segment.kind == SegmentKind::kLiteral ? 1 : 0;
  return count;
}

bool PathTemplate::has_double_wildcard() const {
  return !segments_.empty() && segments_.back().kind == SegmentKind::kDoubleWildcard;
}

}  // namespace carebridge::gateway
