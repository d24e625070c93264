// An HTTP endpoint that records webhook deliveries, for tests: the suite's HttpServer (Boost.Beast)
// on a free 127.0.0.1 port. Records every request (method, path, headers, body) and answers it
// with the next status from FailNext(), else 200. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/http_server.h"

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

  std::string url() const;  // "http://127.0.0.1:<port>/hooks"
  // The next `count` requests are answered with `status` (e.g. 500).
  void FailNext(int count, int status);
  std::vector<WebhookDelivery> Deliveries() const;

 private:
  WebhookReceiver() = default;
  // Records `request` and returns the status to answer it with.
  int Record(const carebridge::HttpRequest& request);

  mutable std::mutex mu_;
  std::vector<WebhookDelivery> deliveries_;  // GUARDED_BY(mu_)
  int failures_left_ = 0;                    // GUARDED_BY(mu_)
  int failure_status_ = 500;                 // GUARDED_BY(mu_)
  // Declared last, so it stops (joining its thread) before the state its handler uses goes.
  std::unique_ptr<carebridge::HttpServer> server_;
};

}  // namespace carebridge::testing
