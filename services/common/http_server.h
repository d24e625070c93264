// The HTTP/1.1 server: Boost.Beast on Asio, asynchronous accept, keep-alive, a pool of I/O threads.
//
// Each connection runs on its own strand. Headers and body must arrive within the read timeout;
// bodies over the limit are refused with 413 before they are read (Content-Length) or as soon as
// they pass it (chunked), then the connection is closed after draining a little, so the client
// sees the reply rather than a reset. Requests are handed to `handler`, whose reply may come from
// any thread (it is posted back to the connection's strand). Stop() stops accepting, lets requests
// in flight finish, then stops the threads. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "absl/status/statusor.h"
#include "services/common/http_message.h"

namespace carebridge {

struct HttpServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free one
  int threads = 2;
  size_t max_body_bytes = 65536;
  size_t max_header_bytes = 16 * 1024;
  std::chrono::seconds read_timeout{30};  // for a whole request, headers and body
  std::chrono::seconds write_timeout{30};
};

class HttpServer {
 public:
  using Reply = std::function<void(HttpResponse)>;
  // Must eventually call `reply` exactly once, through `executor` (the connection's strand).
  using Handler = std::function<void(HttpRequest, boost::asio::any_io_executor executor, Reply)>;
  // The reply for a request refused by the server itself (400, 413, 431).
  using ErrorResponder = std::function<HttpResponse(int http_status)>;

  // Binds, starts the I/O threads and accepting. UNAVAILABLE when the address cannot be bound;
  // INVALID_ARGUMENT when it is not host:port.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                           Handler handler,
                                                           ErrorResponder error_responder);

  // The bound port (useful with port 0).
  int port() const { return port_; }

  // Stops accepting, waits up to `grace` for requests in flight (idle keep-alive connections are
  // closed), then stops the I/O threads. Idempotent.
  void Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

  ~HttpServer();

 private:
  class Session;

  explicit HttpServer(const HttpServerOptions& options);
  void Accept();

  const HttpServerOptions options_;
  Handler handler_;
  ErrorResponder error_responder_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  boost::asio::ip::tcp::acceptor acceptor_;  // on a strand, as is accept_retry_
  boost::asio::steady_timer accept_retry_;
  std::vector<std::thread> threads_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> in_flight_{0};
  bool stopped_ = false;
};

}  // namespace carebridge
