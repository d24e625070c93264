#include "services/common/config.h"

#include <cstdlib>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace carebridge {

std::string EnvString(std::string_view name, std::string_view fallback) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr || *value == '\0') return std::string(fallback);
  return value;
}

absl::StatusOr<long long> EnvInt(std::string_view name, long long fallback, long long min,
                                 long long max) {
  const std::string raw = EnvString(name, "");
  if (raw.empty()) return fallback;
  long long value = 0;
  if (!absl::SimpleAtoi(raw, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(name), " must be an integer, got \"", raw, "\""));
  }
  if (value < min || value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(name), " must be between ", min, " and ", max, ", got ", value));
  }
  return value;
}

absl::StatusOr<bool> EnvBool(std::string_view name, bool fallback) {
  const std::string raw = absl::AsciiStrToLower(EnvString(name, ""));
  if (raw.empty()) return fallback;
  if (raw == "1" || raw == "true" || raw == "yes" || raw == "on") return true;
  if (raw == "0" || raw == "false" || raw == "no" || raw == "off") return false;
  return absl::InvalidArgumentError(
      absl::StrCat(std::string(name), " must be true or false, got \"", raw, "\""));
}

void ExitWithConfigError(std::string_view program, const absl::Status& status) {
  std::cerr << program << ": " << status.message() << std::endl;
  std::exit(2);
}

bool MigrateOnlyFlag(std::string_view program, int argc, char** argv) {
  if (argc == 1) return false;
  if (argc == 2 && std::string_view(argv[1]) == "--migrate-only") return true;
  std::cerr << "usage: " << program << " [--migrate-only]" << std::endl;
  std::exit(2);
}

}  // namespace carebridge
