// Partner webhooks: HTTP POST of a JSON body, signed so the partner can check it came from us.
//
// Signature (documented for partners in the README): with the shared secret S, the Unix time T
// (seconds) and the exact body B, the header is
//     CareBridge-Signature: t=T,v1=hex(HMAC-SHA256(S, T + "." + B))
// A receiver recomputes v1, compares in constant time, and refuses a T far from its clock. The
// header `CareBridge-Webhook-Id` carries the job id, the same on every retry, so a receiver can
// drop a delivery it has already handled. Any transport failure or non-2xx reply is an error
// (the job is retried). Thread-safe; call curl_global_init() and sodium_init() in main().
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "absl/status/status.h"

namespace carebridge::followups {

struct Webhook {
  std::string url;
  std::string body;    // JSON
  std::string id;      // the job id
  std::string secret;  // the partner's signing secret; empty: the sender's default secret
};

class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  // OK on a 2xx reply. UNAVAILABLE otherwise (message: the HTTP status or curl's error).
  virtual absl::Status Send(const Webhook& webhook) = 0;
};

// The header value "t=<unix_seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>".
std::string WebhookSignature(const std::string& secret, int64_t unix_seconds,
                             const std::string& body);

// Posts over http:// or https:// only (no redirects, no proxy). `secret` signs webhooks that carry
// none of their own (the deployment-wide CAREBRIDGE_WEBHOOK_SECRET).
class HttpWebhookSender final : public WebhookSender {
 public:
  HttpWebhookSender(std::string secret, std::chrono::milliseconds timeout)
      : secret_(std::move(secret)), timeout_(timeout) {}
  absl::Status Send(const Webhook& webhook) override;

 private:
  const std::string secret_;
  const std::chrono::milliseconds timeout_;
};

}  // namespace carebridge::followups
