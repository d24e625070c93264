#include "services/scheduling/ics_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "services/common/absl_compat.h"

namespace carebridge::scheduling {
namespace {

absl::Time Utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone());
}

CalendarEvent IntroCall() {
  CalendarEvent event;
  event.uid = "bk_01HZX3@carebridge.local";
  event.start = Utc(2026, 3, 2, 14, 0);
  event.end = Utc(2026, 3, 2, 14, 30);
  event.summary = "Intro call -- CB-2026-000042";
  event.sequence = 2;
  event.last_modified = Utc(2026, 2, 27, 9, 15, 7);
  return event;
}

const absl::Time kNow = Utc(2026, 3, 1, 8, 0, 0);

// Physical lines, each without its CRLF (the text must end with CRLF).
std::vector<std::string> PhysicalLines(std::string_view ics) {
  std::vector<std::string> lines = absl::StrSplit(ToAbsl(ics), "\r\n");
  EXPECT_TRUE(!lines.empty() && lines.back().empty()) << "text does not end with CRLF";
  if (!lines.empty()) lines.pop_back();
  return lines;
}

// RFC 5545 3.1 unfolding: every CRLF followed by one space (or tab) is removed.
std::vector<std::string> ContentLines(std::string_view ics) {
  std::vector<std::string> out;
  for (std::string& line : PhysicalLines(ics)) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !out.empty()) {
      out.back().append(line, 1);
    } else {
      out.push_back(std::move(line));
    }
  }
  return out;
}

// The value of the first content line named `name`, TEXT-unescaped.
std::string TextValue(std::string_view ics, std::string_view name) {
  const std::string prefix = absl::StrCat(ToAbsl(name), ":");
  for (const std::string& line : ContentLines(ics)) {
    if (line.rfind(prefix, 0) != 0) continue;
    std::string value;
    for (size_t i = prefix.size(); i < line.size(); ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) {
        const char next = line[++i];
        value.push_back(next == 'n' || next == 'N' ? '\n' : next);
      } else {
        value.push_back(line[i]);
      }
    }
    return value;
  }
  ADD_FAILURE() << "no " << name << " line";
  return "";
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    size_t len = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
    if (len == 0 || s.size() - i < len) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

TEST(IcsWriterTest, ExactOutputForOneEvent) {
  CalendarInfo info;
  info.name = "Dr. Jane Roe -- CareBridge";
  CalendarEvent event = IntroCall();
  event.description = "Video link in the confirmation email";
  EXPECT_EQ(RenderCalendar(info, {event}, kNow),
            "BEGIN:VCALENDAR\r\n"
            "VERSION:2.0\r\n"
            "PRODID:-//CareBridge//Scheduling//EN\r\n"
            "CALSCALE:GREGORIAN\r\n"
            "METHOD:PUBLISH\r\n"
            "X-WR-CALNAME:Dr. Jane Roe -- CareBridge\r\n"
            "BEGIN:VEVENT\r\n"
            "UID:bk_01HZX3@carebridge.local\r\n"
            "DTSTAMP:20260301T080000Z\r\n"
            "DTSTART:20260302T140000Z\r\n"
            "DTEND:20260302T143000Z\r\n"
            "SUMMARY:Intro call -- CB-2026-000042\r\n"
            "DESCRIPTION:Video link in the confirmation email\r\n"
            "STATUS:CONFIRMED\r\n"
            "SEQUENCE:2\r\n"
            "LAST-MODIFIED:20260227T091507Z\r\n"
            "END:VEVENT\r\n"
            "END:VCALENDAR\r\n");
}

TEST(IcsWriterTest, EmptyCalendarHasHeaderOnlyAndOmitsEmptyName) {
  EXPECT_EQ(RenderCalendar(CalendarInfo{}, {}, kNow),
            "BEGIN:VCALENDAR\r\n"
            "VERSION:2.0\r\n"
            "PRODID:-//CareBridge//Scheduling//EN\r\n"
            "CALSCALE:GREGORIAN\r\n"
            "METHOD:PUBLISH\r\n"
            "END:VCALENDAR\r\n");
}

TEST(IcsWriterTest, OmitsEmptyDescription) {
  const std::string ics = RenderCalendar(CalendarInfo{}, {IntroCall()}, kNow);
  EXPECT_EQ(ics.find("DESCRIPTION"), std::string::npos);
}

TEST(IcsWriterTest, EscapesTextSpecials) {
  CalendarInfo info;
  info.name = "Roe, Jane; clinic";
  CalendarEvent event = IntroCall();
  event.uid = "a,b;c\\d@carebridge.local";
  event.summary = "a;b,c\\d\ne";
  event.description = "line1\r\nline2\rline3\n";
  const std::string ics = RenderCalendar(info, {event}, kNow);
  EXPECT_NE(ics.find("\r\nSUMMARY:a\\;b\\,c\\\\d\\ne\r\n"), std::string::npos) << ics;
  EXPECT_NE(ics.find("\r\nDESCRIPTION:line1\\nline2\\nline3\\n\r\n"), std::string::npos) << ics;
  EXPECT_NE(ics.find("\r\nX-WR-CALNAME:Roe\\, Jane\\; clinic\r\n"), std::string::npos) << ics;
  EXPECT_NE(ics.find("\r\nUID:a\\,b\\;c\\\\d@carebridge.local\r\n"), std::string::npos) << ics;
  EXPECT_EQ(TextValue(ics, "SUMMARY"), event.summary);
  EXPECT_EQ(TextValue(ics, "UID"), event.uid);
  EXPECT_EQ(TextValue(ics, "DESCRIPTION"), "line1\nline2\nline3\n");
}

TEST(IcsWriterTest, DropsControlCharactersAndReplacesInvalidUtf8) {
  CalendarEvent event = IntroCall();
  event.summary = std::string(
      "a\tb\x01"
      "c\x7f"
      "d\xff"
      "e\xc3",
      10);
  const std::string ics = RenderCalendar(CalendarInfo{}, {event}, kNow);
  EXPECT_EQ(TextValue(ics, "SUMMARY"),
            "a\tbcd\xEF\xBF\xBD"
            "e\xEF\xBF\xBD");
  EXPECT_TRUE(IsValidUtf8(ics));
}

TEST(IcsWriterTest, LineOfExactly75OctetsIsNotFolded) {
  CalendarEvent event = IntroCall();
  event.summary = std::string(75 - 8, 'x');  // "SUMMARY:" is 8 octets
  std::string ics = RenderCalendar(CalendarInfo{}, {event}, kNow);
  EXPECT_NE(ics.find("\r\nSUMMARY:" + event.summary + "\r\nSTATUS"), std::string::npos);

  event.summary.push_back('y');
  ics = RenderCalendar(CalendarInfo{}, {event}, kNow);
  EXPECT_NE(ics.find("\r\nSUMMARY:" + std::string(67, 'x') + "\r\n y\r\nSTATUS"), std::string::npos)
      << ics;
}

// Checks the folding contract on every physical line of `ics`.
void ExpectWellFolded(const std::string& ics) {
  for (const std::string& line : PhysicalLines(ics)) {
    EXPECT_LE(line.size(), 75u) << line;
    EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos) << line;
    EXPECT_TRUE(IsValidUtf8(line)) << "a fold split a UTF-8 sequence: " << line;
    // A backslash escape is never split: a physical line ends in an even run of backslashes.
    size_t backslashes = 0;
    while (backslashes < line.size() && line[line.size() - 1 - backslashes] == '\\') {
      ++backslashes;
    }
    EXPECT_EQ(backslashes % 2, 0u) << "a fold split an escape: " << line;
  }
}

TEST(IcsWriterTest, FoldsLongMultibyteSummaryWithoutSplittingSequences) {
  // No ASCII spaces, so a continuation line starting with two spaces would be a bug. Shifting
  // the text by 0..3 octets makes folds land at every offset within 2-, 3- and 4-octet sequences.
  const std::string text =
      "Erstgespräch—Überweisung·予約の確認🙂🩺Ωμέγα;Zoë,"
      "Ñandú\\Ærøskøbing—患者様へのご案内📅";
  for (int shift = 0; shift < 4; ++shift) {
    CalendarEvent event = IntroCall();
    event.summary = std::string(shift, '#') + text + text + text;
    const std::string ics = RenderCalendar(CalendarInfo{}, {event}, kNow);
    SCOPED_TRACE(shift);
    ExpectWellFolded(ics);
    int continuation_lines = 0;
    for (const std::string& line : PhysicalLines(ics)) {
      if (line[0] != ' ') continue;
      ++continuation_lines;
      EXPECT_NE(line[1], ' ') << line;
    }
    EXPECT_GE(continuation_lines, 4);
    EXPECT_EQ(TextValue(ics, "SUMMARY"), event.summary);
  }
}

TEST(IcsWriterTest, FoldsEveryLongTextProperty) {
  CalendarInfo info;
  info.name = std::string(40, ',') + "日本語の予定表" + std::string(40, '\\');
  CalendarEvent event = IntroCall();
  event.uid = std::string(100, 'u') + "@carebridge.local";
  event.description = std::string(60, ';') + std::string(60, '\n') + "Ende ✓";
  const std::string ics = RenderCalendar(info, {event}, kNow);
  ExpectWellFolded(ics);
  EXPECT_EQ(TextValue(ics, "X-WR-CALNAME"), info.name);
  EXPECT_EQ(TextValue(ics, "UID"), event.uid);
  EXPECT_EQ(TextValue(ics, "DESCRIPTION"), event.description);
}

TEST(IcsWriterTest, Statuses) {
  CalendarEvent confirmed = IntroCall();
  CalendarEvent cancelled = IntroCall();
  cancelled.cancelled = true;
  CalendarEvent tentative = IntroCall();
  tentative.tentative = true;
  CalendarEvent both = IntroCall();
  both.cancelled = true;
  both.tentative = true;
  std::vector<std::string> statuses;
  for (const std::string& line : ContentLines(
           RenderCalendar(CalendarInfo{}, {confirmed, cancelled, tentative, both}, kNow))) {
    if (line.rfind("STATUS:", 0) == 0) statuses.push_back(line.substr(7));
  }
  EXPECT_EQ(statuses,
            (std::vector<std::string>{"CONFIRMED", "CANCELLED", "TENTATIVE", "CANCELLED"}));
}

TEST(IcsWriterTest, EveryLineEndsWithCrlf) {
  CalendarInfo info;
  info.name = "multi\nline\r\nname";
  CalendarEvent event = IntroCall();
  event.summary = std::string(200, 'z') + "\n\r";
  event.description = "x\ny";
  const std::string ics = RenderCalendar(info, {event, IntroCall()}, kNow);
  ASSERT_GE(ics.size(), 2u);
  EXPECT_EQ(ics.substr(ics.size() - 2), "\r\n");
  for (size_t i = 0; i < ics.size(); ++i) {
    if (ics[i] == '\n') {
      EXPECT_TRUE(i > 0 && ics[i - 1] == '\r') << "bare LF at " << i;
    }
    if (ics[i] == '\r') {
      EXPECT_TRUE(i + 1 < ics.size() && ics[i + 1] == '\n') << "bare CR at " << i;
    }
  }
}

TEST(IcsWriterTest, DeterministicAndInInputOrder) {
  CalendarEvent first = IntroCall();
  CalendarEvent second = IntroCall();
  second.uid = "bk_second@carebridge.local";
  second.start = Utc(2026, 1, 1, 9, 0);
  const std::string ics = RenderCalendar(CalendarInfo{}, {first, second}, kNow);
  EXPECT_EQ(ics, RenderCalendar(CalendarInfo{}, {first, second}, kNow));
  EXPECT_LT(ics.find("UID:" + first.uid), ics.find("UID:" + second.uid));
  std::vector<std::string> stamps;
  for (const std::string& line : ContentLines(ics)) {
    if (line.rfind("DTSTAMP:", 0) == 0) stamps.push_back(line);
  }
  EXPECT_EQ(stamps,
            (std::vector<std::string>{"DTSTAMP:20260301T080000Z", "DTSTAMP:20260301T080000Z"}));
}

TEST(IcsWriterTest, TimesTruncatedToSecondsAndClamped) {
  CalendarEvent event = IntroCall();
  event.start = Utc(2026, 3, 2, 14, 0) + absl::Milliseconds(999);
  event.end = absl::InfiniteFuture();
  event.last_modified = absl::InfinitePast();
  event.sequence = -3;
  const std::string ics =
      RenderCalendar(CalendarInfo{}, {event}, absl::FromUnixSeconds(0) - absl::Milliseconds(1));
  EXPECT_NE(ics.find("\r\nDTSTART:20260302T140000Z\r\n"), std::string::npos) << ics;
  EXPECT_NE(ics.find("\r\nDTEND:99991231T235959Z\r\n"), std::string::npos) << ics;
  EXPECT_NE(ics.find("\r\nLAST-MODIFIED:00010101T000000Z\r\n"), std::string::npos) << ics;
  EXPECT_NE(ics.find("\r\nDTSTAMP:19691231T235959Z\r\n"), std::string::npos) << ics;
  EXPECT_NE(ics.find("\r\nSEQUENCE:0\r\n"), std::string::npos) << ics;
}

}  // namespace
}  // namespace carebridge::scheduling
