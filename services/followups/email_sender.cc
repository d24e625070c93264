#include "services/followups/email_sender.h"

#include <curl/curl.h>

#include <cstring>
#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace carebridge::followups {
namespace {

bool IsAscii(const std::string& s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

std::string EncodeHeader(const std::string& value) {
  if (IsAscii(value)) return value;
  return absl::StrCat("=?UTF-8?B?", absl::Base64Escape(value), "?=");
}

// Normalizes line ends to CRLF and dot-free lines are left as is (curl dot-stuffs itself).
std::string Crlf(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 40);
  for (char c : text) {
    if (c == '\n') {
      out += "\r\n";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

std::string Base64Lines(const std::string& data) {
  const std::string encoded = absl::Base64Escape(data);
  std::string out;
  for (size_t i = 0; i < encoded.size(); i += 76)
    absl::StrAppend(&out, encoded.substr(i, 76), "\r\n");
  return out;
}

struct Upload {
  std::string data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

}  // namespace

std::string MailboxAddress(const std::string& mailbox) {
  const size_t open = mailbox.find('<');
  const size_t close = mailbox.rfind('>');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    return mailbox.substr(open + 1, close - open - 1);
  }
  return mailbox;
}

std::string FormatEmail(const EmailMessage& message, const std::string& from,
                        const std::string& date) {
  std::string out =
      absl::StrCat("From: ", from, "\r\n", "To: ", message.to, "\r\n",
                   "Subject: ", EncodeHeader(message.subject), "\r\n", "Date: ", date, "\r\n",
                   "Message-ID: <", message.message_id, ">\r\n", "MIME-Version: 1.0\r\n",
                   "Content-Type: text/plain; charset=UTF-8\r\n");
  for (const std::string& header : message.headers) absl::StrAppend(&out, header, "\r\n");
  if (IsAscii(message.body)) {
    absl::StrAppend(&out, "Content-Transfer-Encoding: 7bit\r\n\r\n", Crlf(message.body));
  } else {
    absl::StrAppend(&out, "Content-Transfer-Encoding: base64\r\n\r\n",
                    Base64Lines(Crlf(message.body)));
  }
  return out;
}

SmtpEmailSender::~SmtpEmailSender() {
  for (void* handle : idle_) curl_easy_cleanup(static_cast<CURL*>(handle));
}

absl::Status SmtpEmailSender::Send(const EmailMessage& message) {
  CURL* c = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      c = static_cast<CURL*>(idle_.back());
      idle_.pop_back();
    }
  }
  if (c == nullptr) c = curl_easy_init();
  if (c == nullptr) return absl::UnavailableError("email: cannot start a client");
  // Options are set afresh for every message; the handle's open connection survives the reset.
  curl_easy_reset(c);
  const std::string date =
      absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", absl::Now(), absl::UTCTimeZone());
  Upload upload{FormatEmail(message, config_.from, date), 0};
  const std::string from = absl::StrCat("<", MailboxAddress(config_.from), ">");
  const std::string to = absl::StrCat("<", MailboxAddress(message.to), ">");
  curl_slist* recipients = curl_slist_append(nullptr, to.c_str());
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> owned(recipients, curl_slist_free_all);
  curl_easy_setopt(c, CURLOPT_URL, config_.url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_MAXAGE_CONN, 30L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.timeout.count()));
  if (config_.tls == "try") curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  if (config_.tls == "all") curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, config_.verify_peer ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, config_.verify_peer ? 2L : 0L);
  if (!config_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, config_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, config_.password.c_str());
  }
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) {
    long reply = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
    curl_easy_cleanup(c);  // its connection is in an unknown state: closed, not reused
    return absl::UnavailableError(
        absl::StrCat("email: ", curl_easy_strerror(code), reply != 0 ? " (SMTP " : "",
                     reply != 0 ? std::to_string(reply) : "", reply != 0 ? ")" : ""));
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < 64) {
    idle_.push_back(c);
  } else {
    curl_easy_cleanup(c);
  }
  return absl::OkStatus();
}

}  // namespace carebridge::followups
