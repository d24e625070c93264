// Test environment helpers: scratch directories and log excerpts.
//
// TempDir() hands out a fresh private directory per call and removes every directory it handed out
// when the process exits normally, so tests never share or leak scratch state. Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace carebridge::testing {

// A fresh directory made by mkdtemp under $TMPDIR (or /tmp when unset), removed with its contents
// at process exit (and by a later TempDir() call in another process if this one is killed
// first). When running as root, $TMPDIR is only used if unprivileged users can traverse
// it (the harness runs PostgreSQL as `nobody` inside such a directory); otherwise /tmp is used.
// Aborts with a message on stderr if the directory cannot be made: a test cannot go on without it.
std::string TempDir();

// Up to the last `max_bytes` of the file at `path` (the whole file when shorter), or "" when it
// cannot be read. For putting a server's log into a failure message.
std::string ReadFileTail(const std::string& path, std::size_t max_bytes = 4096);

// The run of digits and dots that directly follows the first `marker` in `text` (for reading a
// number out of a log line such as "cache_hits=12"), or "" when there is none. Used instead of
// std::regex, which trips GCC 12's -Wmaybe-uninitialized in sanitizer builds.
std::string NumberAfter(std::string_view text, std::string_view marker);

// The run of digits and dots that directly precedes the last `marker` in `text`
// ("5123.4 requests per second"), or "".
std::string NumberBefore(std::string_view text, std::string_view marker);

}  // namespace carebridge::testing
