// A tiny HTTP server that records webhook deliveries, for tests.
//
// Listens on 127.0.0.1 (port 0: a free one), reads one request per connection (headers and a
// Content-Length body), records it, and answers with the next status from FailNext() (then 200).
// Thread-safe.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"

namespace carebridge::testing {

struct WebhookDelivery {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
  int answered = 0;  // the status the receiver replied with
};

class WebhookReceiver {
 public:
  static absl::StatusOr<std::unique_ptr<WebhookReceiver>> Start();
  ~WebhookReceiver();

  std::string url() const;  // "http://127.0.0.1:<port>/hooks"
  // The next `count` requests are answered with `status` (e.g. 500).
  void FailNext(int count, int status);
  std::vector<WebhookDelivery> Deliveries() const;

 private:
  explicit WebhookReceiver(int fd, int port) : fd_(fd), port_(port) {}
  void Serve();

  const int fd_;
  const int port_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<WebhookDelivery> deliveries_;  // GUARDED_BY(mu_)
  int failures_left_ = 0;                    // GUARDED_BY(mu_)
  int failure_status_ = 500;                 // GUARDED_BY(mu_)
};

}  // namespace carebridge::testing
