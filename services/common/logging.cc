#include "services/common/logging.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/absl_compat.h"

namespace carebridge {
namespace {

std::string& ServiceName() {
  static std::string name = "carebridge";
  return name;
}
std::atomic<int> min_level{static_cast<int>(LogLevel::kInfo)};
std::mutex write_mu;

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

}  // namespace

void InitLogging(std::string_view service, std::string_view level) {
  ServiceName() = std::string(service);
  LogLevel parsed = LogLevel::kInfo;
  if (level == "debug") parsed = LogLevel::kDebug;
  if (level == "warning") parsed = LogLevel::kWarning;
  if (level == "error") parsed = LogLevel::kError;
  min_level.store(static_cast<int>(parsed));
}

std::string LogfmtValue(std::string_view value) {
  bool bare = !value.empty();
  for (char c : value) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f) {
      bare = false;
      break;
    }
  }
  if (bare) return std::string(value);
  std::string out = "\"";
  for (unsigned char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += absl::StrFormat("\\x%02x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

void Log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
  if (static_cast<int>(level) < min_level.load(std::memory_order_relaxed)) return;
  std::string line = absl::StrCat(
      "ts=", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()),
      " level=", LevelName(level), " svc=", ServiceName(), " event=", LogfmtValue(event));
  for (const LogField& field : fields) {
    absl::StrAppend(&line, " ", ToAbsl(field.key), "=", LogfmtValue(field.value));
  }
  line += '\n';
  std::lock_guard<std::mutex> lock(write_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace carebridge
