#include "services/scheduling/ics_writer.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"

namespace carebridge::scheduling {
namespace {

// RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break.
constexpr size_t kMaxLineOctets = 75;

constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";  // U+FFFD

// Writes content lines, folding between "atoms" (one ASCII byte, one UTF-8 sequence or one
// backslash escape, each at most 4 octets) so no fold splits a character or an escape.
class LineWriter {
 public:
  explicit LineWriter(std::string* out) : out_(out) {}

  void Put(std::string_view atom) {
    if (used_ + atom.size() > kMaxLineOctets) {
      out_->append("\r\n ");
      used_ = 1;
    }
    out_->append(atom);
    used_ += atom.size();
  }

  // Bytes that need no escaping and are single-byte atoms (names, numbers, times).
  void PutAscii(std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i) Put(s.substr(i, 1));
  }

  // A TEXT value (RFC 5545 3.3.11), escaped.
  void PutText(std::string_view s);

  void EndLine() {
    out_->append("\r\n");
    used_ = 0;
  }

  // A whole "NAME:value" line.
  void AsciiLine(std::string_view name, std::string_view value) {
    PutAscii(name);
    Put(":");
    PutAscii(value);
    EndLine();
  }
  void TextLine(std::string_view name, std::string_view value) {
    PutAscii(name);
    Put(":");
    PutText(value);
    EndLine();
  }

 private:
  std::string* out_;
  size_t used_ = 0;  // octets on the current physical line
};

// The length of the well-formed UTF-8 sequence (RFC 3629: no overlongs, no surrogates, at most
// U+10FFFF) starting at s[i], or 0 when s[i] does not start one.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  if (lead < 0x80) return 1;
  size_t len;
  uint32_t code_point;
  if (lead >= 0xC2 && lead <= 0xDF) {
    len = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3;
    code_point = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4;
    code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (s.size() - i < len) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto cont = static_cast<unsigned char>(s[i + k]);
    if ((cont & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (cont & 0x3F);
  }
  if (len == 3 && (code_point < 0x800 || (code_point >= 0xD800 && code_point <= 0xDFFF))) {
    return 0;
  }
  if (len == 4 && (code_point < 0x10000 || code_point > 0x10FFFF)) return 0;
  return len;
}

void LineWriter::PutText(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    switch (c) {
      case '\\':
        Put("\\\\");
        ++i;
        continue;
      case ';':
        Put("\\;");
        ++i;
        continue;
      case ',':
        Put("\\,");
        ++i;
        continue;
      case '\r':
        // CRLF is one newline; a lone CR counts as one too.
        Put("\\n");
        i += (i + 1 < s.size() && s[i + 1] == '\n') ? 2 : 1;
        continue;
      case '\n':
        Put("\\n");
        ++i;
        continue;
      case '\t':
        Put("\t");
        ++i;
        continue;
      default:
        break;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {  // CTLs are not allowed in TEXT: dropped
      ++i;
      continue;
    }
    const size_t len = Utf8SequenceLength(s, i);
    if (len == 0) {
      Put(kReplacementChar);
      ++i;
      continue;
    }
    Put(s.substr(i, len));
    i += len;
  }
}

// "YYYYMMDDTHHMMSSZ" (RFC 5545 3.3.5, form #2), clamped to years 0001..9999.
std::string IcsUtcTime(absl::Time t) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::Time min = absl::FromCivil(absl::CivilSecond(1, 1, 1, 0, 0, 0), utc);
  const absl::Time max = absl::FromCivil(absl::CivilSecond(9999, 12, 31, 23, 59, 59), utc);
  const absl::CivilSecond cs = absl::ToCivilSecond(std::clamp(t, min, max), utc);
  return absl::StrFormat("%04d%02d%02dT%02d%02d%02dZ", cs.year(), cs.month(), cs.day(), cs.hour(),
                         cs.minute(), cs.second());
}

std::string_view StatusOf(const CalendarEvent& event) {
  if (event.cancelled) return "CANCELLED";
  if (event.tentative) return "TENTATIVE";
  return "CONFIRMED";
}

}  // namespace

std::string RenderCalendar(const CalendarInfo& info, const std::vector<CalendarEvent>& events,
                           absl::Time now) {
  std::string out;
  out.reserve(256 + events.size() * 512);
  LineWriter w(&out);
  const std::string dtstamp = IcsUtcTime(now);

  w.AsciiLine("BEGIN", "VCALENDAR");
  w.AsciiLine("VERSION", "2.0");
  w.TextLine("PRODID", info.product_id);
  w.AsciiLine("CALSCALE", "GREGORIAN");
  w.AsciiLine("METHOD", "PUBLISH");
  if (!info.name.empty()) w.TextLine("X-WR-CALNAME", info.name);

  for (const CalendarEvent& event : events) {
    w.AsciiLine("BEGIN", "VEVENT");
    w.TextLine("UID", event.uid);
    w.AsciiLine("DTSTAMP", dtstamp);
    w.AsciiLine("DTSTART", IcsUtcTime(event.start));
    w.AsciiLine("DTEND", IcsUtcTime(event.end));
    w.TextLine("SUMMARY", event.summary);
    if (!event.description.empty()) w.TextLine("DESCRIPTION", event.description);
    w.AsciiLine("STATUS", StatusOf(event));
    w.AsciiLine("SEQUENCE", absl::StrFormat("%d", std::max(event.sequence, 0)));
    w.AsciiLine("LAST-MODIFIED", IcsUtcTime(event.last_modified));
    w.AsciiLine("END", "VEVENT");
  }

  w.AsciiLine("END", "VCALENDAR");
  return out;
}

}  // namespace carebridge::scheduling
