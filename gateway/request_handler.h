// Handles one HTTP request end to end: the gateway's own routes (/, /static/, /book, /dashboard/
// and its files, /healthz, /readyz, /metrics, /openapi.json), and every annotated RPC: route
// match, rate limit, transcoding, the backend call with forwarded metadata, and the reply as JSON
// (or, for the contact form posted by a browser, HTML).
//
// Every reply carries the security headers (security_headers.h), an X-Request-Id, and is counted in
// the metrics and logged (route template, status, duration, request id: never bodies, query strings
// or other user-supplied text). Blocking work (the rate limiter's and the readiness probe's Redis
// calls) runs on a small pool of its own, never on the thread that called Handle. Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/thread_pool.hpp>

#include "gateway/backend_pool.h"
#include "gateway/error_reply.h"
#include "gateway/metrics.h"
#include "gateway/rate_limiter.h"
#include "gateway/readiness.h"
#include "gateway/route_table.h"
#include "gateway/web_pages.h"
#include "services/common/http_message.h"

namespace carebridge::gateway {

struct RequestHandlerOptions {
  // Take the client address from X-Forwarded-For's first hop (only behind a trusted proxy).
  bool trust_forwarded_for = false;
  // Threads for blocking calls (Redis).
  int blocking_threads = 2;
  // Mark session cookies Secure (set when the gateway is reached over https).
  bool secure_cookies = false;
};

class RequestHandler {
 public:
  using Reply = std::function<void(HttpResponse)>;

  // None of the pointers is owned; all must outlive the handler. `limiter` may be null.
  RequestHandler(const RouteTable* routes, BackendPool* backends, RateLimiter* limiter,
                 Readiness* readiness, const WebPages* pages, Metrics* metrics,
                 RequestHandlerOptions options);
  // Waits for blocking work in progress.
  ~RequestHandler();

  // Handles `request`; `reply` is called exactly once, through `executor`.
  void Handle(HttpRequest request, boost::asio::any_io_executor executor, Reply reply);

  // The reply to a request the server refused before it was read whole (413, 400, 431), in the
  // usual JSON error form, counted and logged like any other.
  HttpResponse ProtocolError(int http_status);

  // Metric labels of the gateway's own routes, besides the route table's.
  static std::vector<std::string> OwnRouteLabels();

 private:
  struct Exchange;

  void Dispatch(const std::shared_ptr<Exchange>& exchange);
  void HandleRpc(const std::shared_ptr<Exchange>& exchange, const RouteMatch& match);
  void CallBackend(const std::shared_ptr<Exchange>& exchange, const RouteMatch& match);
  void OnBackendReply(const std::shared_ptr<Exchange>& exchange, const Route& route,
                      const grpc::Status& status, const std::string& response);
  // Set-Cookie for the dashboard on login and logout (session_cookies.h).
  void AddSessionCookies(const Route& route, const google::protobuf::Message& message,
                         HttpResponse* response) const;
  HttpResponse ErrorResponse(const std::shared_ptr<Exchange>& exchange, const absl::Status& status,
                             int http_status_override = 0);
  HttpResponse ErrorFromReply(const std::shared_ptr<Exchange>& exchange, const ErrorReply& reply);
  // Adds the common headers, counts and logs the reply.
  void Complete(const Exchange& exchange, HttpResponse* response);
  // Complete, then hands the reply over through the exchange's executor.
  void Finish(const std::shared_ptr<Exchange>& exchange, HttpResponse response);
  // Answers with `file` (one of the served pages' files) and the headers `set_headers` adds; 404
  // when `file` is null.
  void FinishWithFile(const std::shared_ptr<Exchange>& exchange, const StaticFile* file,
                      const std::function<void(HttpResponse*)>& set_headers);

  std::string ClientIp(const HttpRequest& request) const;

  const RouteTable* routes_;
  BackendPool* backends_;
  RateLimiter* limiter_;
  Readiness* readiness_;
  const WebPages* pages_;
  Metrics* metrics_;
  const std::string openapi_json_;  // generated once from the route table
  const RequestHandlerOptions options_;
  boost::asio::thread_pool blocking_;
};

}  // namespace carebridge::gateway
