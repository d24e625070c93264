#include "tests/harness/webhook_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace carebridge::testing {

absl::StatusOr<std::unique_ptr<WebhookReceiver>> WebhookReceiver::Start() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(fd, 16) != 0) {
    if (fd >= 0) close(fd);
    return absl::InternalError("webhook receiver cannot listen");
  }
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::unique_ptr<WebhookReceiver> receiver(new WebhookReceiver(fd, ntohs(addr.sin_port)));
  receiver->thread_ = std::thread([r = receiver.get()] { r->Serve(); });
  return receiver;
}

WebhookReceiver::~WebhookReceiver() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  close(fd_);
}

std::string WebhookReceiver::url() const {
  return absl::StrCat("http://127.0.0.1:", port_, "/hooks");
}

void WebhookReceiver::FailNext(int count, int status) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_left_ = count;
  failure_status_ = status;
}

std::vector<WebhookDelivery> WebhookReceiver::Deliveries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return deliveries_;
}

void WebhookReceiver::Serve() {
  while (!stopping_) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    const int client = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    timeval tv{5, 0};
    setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    std::string data;
    char buffer[4096];
    size_t header_end = std::string::npos;
    size_t content_length = 0;
    WebhookDelivery delivery;
    while (true) {
      const ssize_t n = read(client, buffer, sizeof(buffer));
      if (n <= 0) break;
      data.append(buffer, static_cast<size_t>(n));
      if (header_end == std::string::npos) {
        header_end = data.find("\r\n\r\n");
        if (header_end == std::string::npos) continue;
        std::vector<std::string> lines = absl::StrSplit(data.substr(0, header_end), "\r\n");
        std::vector<std::string> request_line = absl::StrSplit(lines[0], ' ');
        if (request_line.size() >= 2) {
          delivery.method = request_line[0];
          delivery.path = request_line[1];
        }
        for (size_t i = 1; i < lines.size(); ++i) {
          const size_t colon = lines[i].find(':');
          if (colon == std::string::npos) continue;
          delivery.headers[absl::AsciiStrToLower(lines[i].substr(0, colon))] =
              std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
        }
        (void)absl::SimpleAtoi(delivery.headers["content-length"], &content_length);
      }
      if (data.size() >= header_end + 4 + content_length) break;
    }
    if (header_end != std::string::npos) {
      delivery.body = data.substr(header_end + 4, content_length);
      int status = 200;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (failures_left_ > 0) {
          --failures_left_;
          status = failure_status_;
        }
        delivery.answered = status;
        deliveries_.push_back(delivery);
      }
      const std::string response =
          absl::StrCat("HTTP/1.1 ", status, " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      (void)!write(client, response.data(), response.size());
    }
    close(client);
  }
}

}  // namespace carebridge::testing
