#include "tests/harness/smtp_sink.h"

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/status_macros.h"
#include "tests/harness/net.h"
#include "tests/harness/test_env.h"

namespace carebridge::testing {
namespace {

constexpr char kPython[] = "/usr/bin/python3";

std::string HeaderBlock(const std::string& raw) {
  size_t end = raw.find("\n\n");
  const size_t crlf = raw.find("\r\n\r\n");
  if (crlf != std::string::npos && (end == std::string::npos || crlf < end)) end = crlf;
  return end == std::string::npos ? raw : raw.substr(0, end);
}

}  // namespace

std::string SmtpMessage::Header(const std::string& name) const {
  const std::string lower_name = absl::AsciiStrToLower(name) + ":";
  std::string value;
  bool in_header = false;
  for (absl::string_view line : absl::StrSplit(HeaderBlock(raw), '\n')) {
    if (absl::EndsWith(line, "\r")) line.remove_suffix(1);
    if (in_header && !line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      absl::StrAppend(&value, " ", absl::StripAsciiWhitespace(line));
      continue;
    }
    if (in_header) return value;
    if (absl::StartsWith(absl::AsciiStrToLower(line), lower_name)) {
      in_header = true;
      value = std::string(absl::StripAsciiWhitespace(line.substr(lower_name.size())));
    }
  }
  return value;
}

std::string SmtpMessage::Body() const {
  const size_t header_end = HeaderBlock(raw).size();
  std::string body = raw.substr(std::min(raw.size(), header_end));
  body = std::string(absl::StripLeadingAsciiWhitespace(body));
  if (absl::AsciiStrToLower(Header("Content-Transfer-Encoding")) == "base64") {
    std::string compact, decoded;
    for (char c : body) {
      if (!absl::ascii_isspace(static_cast<unsigned char>(c))) compact += c;
    }
    if (absl::Base64Unescape(compact, &decoded)) return decoded;
  }
  return body;
}

absl::StatusOr<std::unique_ptr<SmtpSink>> SmtpSink::Start() {
  if (!std::filesystem::exists(kPython)) {
    return absl::FailedPreconditionError("/usr/bin/python3 not found (install python3-aiosmtpd)");
  }
  std::unique_ptr<SmtpSink> sink(new SmtpSink(TempDir()));
  absl::Status launched;
  for (int attempt = 0; attempt < 3; ++attempt) {
    sink->port_ = FreePort();
    launched = sink->Launch();
    if (launched.ok()) break;
  }
  RETURN_IF_ERROR(launched);
  return sink;
}

SmtpSink::~SmtpSink() {
  if (process_) process_->Terminate(std::chrono::seconds(5));
}

std::string SmtpSink::url() const { return absl::StrCat("smtp://127.0.0.1:", port_); }

absl::Status SmtpSink::Launch() {
  // The suite's own sink (infra/smtp-sink/smtp_sink.py), as infra/up runs it.
  ASSIGN_OR_RETURN(process_, ChildProcess::Spawn(kPython,
                                                 {CAREBRIDGE_SMTP_SINK_DIR "/smtp_sink.py",
                                                  absl::StrCat("127.0.0.1:", port_), maildir()},
                                                 {}, log_path()));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_->Running()) {
      return absl::UnavailableError(absl::StrCat(
          "aiosmtpd exited at start (is python3-aiosmtpd installed?): ", ReadFileTail(log_path())));
    }
    if (WaitForTcpPort(port_, std::chrono::milliseconds(100)).ok()) return absl::OkStatus();
  }
  return absl::DeadlineExceededError(
      absl::StrCat("aiosmtpd did not listen on ", port_, ": ", ReadFileTail(log_path())));
}

absl::Status SmtpSink::Stop() {
  if (process_) process_->Terminate(std::chrono::seconds(5));
  process_.reset();
  return absl::OkStatus();
}

absl::Status SmtpSink::Restart() {
  RETURN_IF_ERROR(Stop());
  return Launch();
}

std::vector<SmtpMessage> SmtpSink::Messages() const {
  std::vector<SmtpMessage> messages;
  for (const char* sub : {"new", "cur"}) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(maildir() + "/" + sub, error)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream buffer;
      buffer << in.rdbuf();
      messages.push_back({buffer.str()});
    }
  }
  return messages;
}

}  // namespace carebridge::testing
