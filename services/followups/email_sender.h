// Sending email: the narrow interface the worker uses, and its SMTP implementation over libcurl.
//
// SmtpEmailSender sends one message per call (smtp:// or smtps://, STARTTLS per config), with a
// total timeout. Connections are kept in a small pool of curl handles and reused for later
// messages (one SMTP session per message: MAIL FROM, RCPT TO, DATA), which halves the cost of a
// message for the server; a connection idle for 30 s, or one that failed, is not reused. Error
// texts are curl's generic ones plus the SMTP reply code, never the server's reply text (which may
// echo an address). Thread-safe; call curl_global_init() once in main() before any thread sends.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace carebridge::followups {

struct EmailMessage {
  std::string to;
  std::string subject;     // UTF-8; encoded as RFC 2047 when not ASCII
  std::string body;        // UTF-8 plain text
  std::string message_id;  // without angle brackets, e.g. "inquiries.42@carebridge.local"
  // Extra headers "Name: value" (ASCII, no personal data), e.g. "X-CareBridge-Reference: CB-..."
  std::vector<std::string> headers;
};

class EmailSender {
 public:
  virtual ~EmailSender() = default;
  // OK once the server accepted the message. UNAVAILABLE when it could not be delivered (server
  // down, refused, timed out): worth retrying.
  virtual absl::Status Send(const EmailMessage& message) = 0;
};

struct SmtpConfig {
  std::string url = "smtp://127.0.0.1:2525";  // smtp://host:port or smtps://host:port
  std::string from = "CareBridge <followups@carebridge.local>";
  // "none", "try" (STARTTLS when offered) or "all" (STARTTLS required; implied by smtps://).
  std::string tls = "none";
  bool verify_peer = true;
  std::string username;  // empty: no AUTH
  std::string password;
  std::chrono::milliseconds timeout{10000};
};

class SmtpEmailSender final : public EmailSender {
 public:
  explicit SmtpEmailSender(SmtpConfig config) : config_(std::move(config)) {}
  ~SmtpEmailSender() override;
  absl::Status Send(const EmailMessage& message) override;

 private:
  const SmtpConfig config_;
  std::mutex mu_;
  std::vector<void*> idle_;  // GUARDED_BY(mu_): CURL easy handles with their open connections
};

// The RFC 5322 message (CRLF line ends, base64 body when not ASCII) that Send() transmits.
// Exposed for tests. `date` is an RFC 5322 date.
std::string FormatEmail(const EmailMessage& message, const std::string& from,
                        const std::string& date);

// The bare address of a "Name <addr>" or "addr" mailbox.
std::string MailboxAddress(const std::string& mailbox);

}  // namespace carebridge::followups
