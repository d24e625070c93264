// Configuration from environment variables.
//
// Every binary reads its settings once, in main(), into a config struct with documented defaults
// (see README "Configuration"). A set-but-malformed variable is a start-up error: the binary prints
// one clear line and exits non-zero instead of running with a value nobody asked for.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace carebridge {

// The variable's value, or `fallback` when it is unset or empty.
std::string EnvString(std::string_view name, std::string_view fallback);

// The variable as an integer in [min, max], or `fallback` when unset or empty.
// INVALID_ARGUMENT names the variable when it is not an integer or out of range.
absl::StatusOr<long long> EnvInt(std::string_view name, long long fallback, long long min,
                                 long long max);

// The variable as a boolean ("1/true/yes/on" or "0/false/no/off"), or `fallback`.
absl::StatusOr<bool> EnvBool(std::string_view name, bool fallback);

// Prints "<program>: <status message>" to stderr and exits with status 2. For start-up errors.
[[noreturn]] void ExitWithConfigError(std::string_view program, const absl::Status& status);

// The command line of a service that owns a schema: none, or `--migrate-only` (apply the migrations
// and exit). Returns whether it was given; anything else prints the usage and exits with status 2.
bool MigrateOnlyFlag(std::string_view program, int argc, char** argv);

// Returns the value of a StatusOr, or exits through ExitWithConfigError.
template <typename T>
T ValueOrExit(std::string_view program, absl::StatusOr<T> value) {
  if (!value.ok()) ExitWithConfigError(program, value.status());
  return *std::move(value);
}

}  // namespace carebridge
