// A google.api.http path template, e.g. "/v1/clinics/{clinic_id}" or
// "/v1/bookings/{booking_id}:cancel", compiled once and matched against request paths.
//
// Grammar (google/api/http.proto):
//   Template = "/" Segments [ Verb ] ;   Segments = Segment { "/" Segment } ;
//   Segment  = "*" | "**" | LITERAL | Variable ;   Variable = "{" FieldPath [ "=" Segments ] "}" ;
//   FieldPath = IDENT { "." IDENT } ;   Verb = ":" LITERAL ;
// "**" is accepted only as the last segment. A variable without "=" matches one segment.
// Immutable after Parse; safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace carebridge::gateway {

// One variable bound by a match: the request field path ("a.b") and its percent-decoded value.
struct PathBinding {
  std::string field_path;
  std::string value;
};

class PathTemplate {
 public:
  // Compiles `pattern`. INVALID_ARGUMENT names the pattern when it does not follow the grammar.
  static absl::StatusOr<PathTemplate> Parse(std::string_view pattern);

  // The bindings when `path` (no query string) matches, std::nullopt otherwise.
  std::optional<std::vector<PathBinding>> Match(std::string_view path) const;

  const std::string& pattern() const { return pattern_; }
  // How many literal segments the template has; more literals means a more specific route.
  int literal_count() const;
  bool has_double_wildcard() const;
  bool has_verb() const { return !verb_.empty(); }

 private:
  enum class SegmentKind { kLiteral, kWildcard, kDoubleWildcard };
  struct Segment {
    SegmentKind kind;
    std::string literal;
  };
  struct Variable {
    std::string field_path;
    size_t first_segment;
    size_t end_segment;  // exclusive; for a trailing "**" the end is the request's last segment
  };

  PathTemplate() = default;

  std::string pattern_;
  std::vector<Segment> segments_;
  std::vector<Variable> variables_;
  std::string verb_;
};

}  // namespace carebridge::gateway
