// Loopback networking helpers for tests.
#pragma once

#include <chrono>

#include "absl/status/status.h"

namespace carebridge::testing {

// A TCP port on 127.0.0.1 that was free a moment ago: binds port 0, reads the port back, closes.
// Another process may take it before the caller binds it, so servers started on it should retry
// with a new port when their bind fails. Aborts with a message if no socket can be bound at all.
int FreePort();

// OK once a TCP connection to 127.0.0.1:`port` succeeds; DEADLINE_EXCEEDED (naming the port) if
// none does within `timeout`.
absl::Status WaitForTcpPort(int port, std::chrono::milliseconds timeout);

}  // namespace carebridge::testing
