#include "services/followups/webhook_sender.h"

#include <curl/curl.h>
#include <sodium.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/credentials.h"

namespace carebridge::followups {
namespace {

size_t Discard(char* /*data*/, size_t size, size_t count, void* /*user*/) { return size * count; }

}  // namespace

std::string WebhookSignature(const std::string& secret, int64_t unix_seconds,
                             const std::string& body) {
  const std::string hex = HmacSha256Hex(secret, absl::StrCat(unix_seconds, ".", body));
  return absl::StrCat("t=", unix_seconds, ",v1=", hex);
}

absl::Status HttpWebhookSender::Send(const Webhook& webhook) {
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return absl::UnavailableError("webhook: cannot start a client");
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(
      headers, absl::StrCat("CareBridge-Signature: ",
                            WebhookSignature(webhook.secret.empty() ? secret_ : webhook.secret, now,
                                             webhook.body))
                   .c_str());
  headers = curl_slist_append(headers, absl::StrCat("CareBridge-Webhook-Id: ", webhook.id).c_str());
  headers = curl_slist_append(headers, "Expect:");
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> owned(headers, curl_slist_free_all);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, webhook.url.c_str());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, webhook.body.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(webhook.body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) {
    return absl::UnavailableError(absl::StrCat("webhook: ", curl_easy_strerror(code)));
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) {
    return absl::UnavailableError(absl::StrCat("webhook: HTTP ", status));
  }
  return absl::OkStatus();
}

}  // namespace carebridge::followups
