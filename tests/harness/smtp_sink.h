// A real SMTP sink for tests: Debian's aiosmtpd with its Mailbox handler, writing every message it
// accepts to a Maildir in a fresh TempDir().
//
// Start() runs `/usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:<free port> -c
// aiosmtpd.handlers.Mailbox <dir>/maildir` (Debian's python, which has the module; another python3
// earlier on PATH may not) and waits until the port accepts connections. Stop() makes the port
// refuse connections (the Maildir is kept); Restart() serves the same port and Maildir again.
// A missing aiosmtpd is an error, never a skipped test.
//
// The sink is a child of the thread that called Start(). Not thread-safe: drive one instance from
// one thread (Messages() may be called from any thread).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/harness/child_process.h"

namespace carebridge::testing {

struct SmtpMessage {
  std::string raw;  // the message as stored (headers, blank line, body)
  // The value of the first header `name` (case-insensitive), unfolded; "" when absent.
  std::string Header(const std::string& name) const;
  // The body, base64-decoded when its Content-Transfer-Encoding says base64.
  std::string Body() const;
};

class SmtpSink {
 public:
  static absl::StatusOr<std::unique_ptr<SmtpSink>> Start();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;
  ~SmtpSink();

  int port() const { return port_; }
  std::string url() const;  // "smtp://127.0.0.1:<port>"
  std::string maildir() const { return dir_ + "/maildir"; }
  std::string log_path() const { return dir_ + "/aiosmtpd.log"; }

  absl::Status Stop();
  absl::Status Restart();

  // Every message delivered so far (new/ and cur/ of the Maildir), in no particular order.
  std::vector<SmtpMessage> Messages() const;

 private:
  explicit SmtpSink(std::string dir) : dir_(std::move(dir)) {}
  absl::Status Launch();

  const std::string dir_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace carebridge::testing
