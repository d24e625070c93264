// Structured logging: one logfmt line per event on stderr.
//
//   ts=2026-11-25T17:00:00.123Z level=info svc=inquiries event=inquiry_created case_id=...
//   request_id=...
//
// No PII by construction: call sites log identifiers, codes and counts, never names, emails, phone
// numbers or free text from users. Values are quoted and escaped as needed so one event is one
// line. Thread-safe.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace carebridge {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

struct LogField {
  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(v) {}
  LogField(std::string_view k, const char* v) : key(k), value(v) {}
  LogField(std::string_view k, long long v) : key(k), value(std::to_string(v)) {}
  LogField(std::string_view k, int v) : key(k), value(std::to_string(v)) {}
  LogField(std::string_view k, double v) : key(k), value(std::to_string(v)) {}

  std::string_view key;
  std::string value;
};

// Sets the service name stamped on every line and the minimum level ("debug", "info", "warning",
// "error"; unknown names mean "info"). Call once from main() before other threads start.
void InitLogging(std::string_view service, std::string_view min_level);

void Log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {});

inline void LogInfo(std::string_view event, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kInfo, event, fields);
}
inline void LogWarning(std::string_view event, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kWarning, event, fields);
}
inline void LogError(std::string_view event, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kError, event, fields);
}

// The logfmt rendering of one value: bare when it is a simple token, quoted and escaped otherwise.
std::string LogfmtValue(std::string_view value);

}  // namespace carebridge
