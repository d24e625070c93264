#include "services/common/http_server.h"

#include <optional>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/logging.h"

namespace carebridge {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::chrono::seconds kDrainTimeout{2};
constexpr size_t kMaxDrainBytes = 1 << 20;

absl::StatusOr<tcp::endpoint> ParseListenAddress(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(absl::string_view(listen).substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen address must be host:port, got \"", listen, "\""));
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code error;
  const auto address = asio::ip::make_address(host.empty() ? "0.0.0.0" : host, error);
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen address must be an IP address and port, got \"", listen, "\""));
  }
  return tcp::endpoint(address, static_cast<unsigned short>(port));
}

}  // namespace

class HttpServer::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer* server) : stream_(std::move(socket)), server_(server) {}

  void Start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::ReadHeader, shared_from_this()));
  }

 private:
  void ReadHeader() {
    if (server_->stopping_.load()) {
      Close();
      return;
    }
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_->options_.max_header_bytes));
    parser_->body_limit(server_->options_.max_body_bytes);
    stream_.expires_after(server_->options_.read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code error, size_t) {
    if (error) {
      OnReadError(error);
      return;
    }
    const auto length = parser_->content_length();
    if (length.has_value() && *length > server_->options_.max_body_bytes) {
      Refuse(413);
      return;
    }
    const auto& request = parser_->get();
    if (beast::iequals(request[http::field::expect], "100-continue")) {
      auto interim = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                        request.version());
      http::async_write(stream_, *interim,
                        [self = shared_from_this(), interim](beast::error_code e, size_t) {
                          if (e) {
                            self->Close();
                            return;
                          }
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code error, size_t) {
    if (error) {
      OnReadError(error);
      return;
    }
    stream_.expires_never();  // the handler's backend call has its own deadline
    http::request<http::string_body> message = parser_->release();
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    for (const auto& field : message) {
      request.headers.emplace_back(absl::AsciiStrToLower(absl::string_view(
                                       field.name_string().data(), field.name_string().size())),
                                   std::string(field.value()));
    }
    request.body = std::move(message.body());
    beast::error_code peer_error;
    const auto peer = stream_.socket().remote_endpoint(peer_error);
    request.peer_ip = peer_error ? "" : peer.address().to_string();
    keep_alive_ = message.keep_alive();
    head_ = message.method() == http::verb::head;
    version_ = message.version();
    counted_ = true;
    server_->in_flight_.fetch_add(1);
    server_->handler_(
        std::move(request), stream_.get_executor(),
        [self = shared_from_this()](HttpResponse response) { self->Write(std::move(response)); });
  }

  void OnReadError(beast::error_code error) {
    if (error == http::error::end_of_stream || error == asio::error::eof ||
        error == beast::error::timeout || error == asio::error::operation_aborted) {
      Close();
    } else if (error == http::error::body_limit) {
      Refuse(413);
    } else if (error == http::error::header_limit) {
      Refuse(431);
    } else if (error.category() == http::make_error_code(http::error::bad_method).category()) {
      Refuse(400);
    } else {
      Close();
    }
  }

  // Answers a request the server will not read, then closes the connection.
  void Refuse(int status) {
    keep_alive_ = false;
    refused_ = true;
    head_ = false;
    Write(server_->error_responder_(status));
  }

  void Write(HttpResponse response) {
    auto message = std::make_shared<http::response<http::string_body>>();
    message->version(version_);
    message->result(static_cast<unsigned>(response.status));
    if (response.status == 499) message->reason("Client Closed Request");
    message->set(http::field::server, "carebridge-gateway");
    if (!response.content_type.empty())
      message->set(http::field::content_type, response.content_type);
    // insert, not set: a header may repeat (Set-Cookie); SetHeader keeps the others unique.
    for (auto& [name, value] : response.headers) message->insert(name, value);
    message->body() = std::move(response.body);
    message->keep_alive(keep_alive_ && !server_->stopping_.load());
    message->prepare_payload();
    if (head_) {
      const size_t length = message->body().size();
      message->body().clear();
      message->content_length(length);
    }
    stream_.expires_after(server_->options_.write_timeout);
    http::async_write(stream_, *message,
                      [self = shared_from_this(), message](beast::error_code error, size_t) {
                        self->OnWrite(error, message->keep_alive());
                      });
  }

  void OnWrite(beast::error_code error, bool keep_alive) {
    if (counted_) {
      counted_ = false;
      server_->in_flight_.fetch_sub(1);
    }
    if (error) {
      Close();
    } else if (refused_) {
      Drain();
    } else if (!keep_alive) {
      Close();
    } else {
      ReadHeader();
    }
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  // After refusing a request, reads and drops what the client still sends for a moment, so that
  // closing with unread data does not reset the connection before the client reads the reply.
  void Drain() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kDrainTimeout);
    DrainSome();
  }

  void DrainSome() {
    stream_.async_read_some(asio::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code error, size_t n) {
                              self->drained_ += n;
                              if (error || self->drained_ > kMaxDrainBytes) {
                                self->stream_.close();
                                return;
                              }
                              self->DrainSome();
                            });
  }

  beast::tcp_stream stream_;
  HttpServer* server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool keep_alive_ = false;
  bool head_ = false;
  bool refused_ = false;
  bool counted_ = false;
  unsigned version_ = 11;
  size_t drained_ = 0;
  std::array<char, 8192> drain_buffer_;
};

HttpServer::HttpServer(const HttpServerOptions& options)
    : options_(options),
      io_(std::max(1, options.threads)),
      work_(asio::make_work_guard(io_)),
      acceptor_(asio::make_strand(io_)),
      accept_retry_(acceptor_.get_executor()) {}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                              Handler handler,
                                                              ErrorResponder error_responder) {
  auto endpoint = ParseListenAddress(options.listen);
  if (!endpoint.ok()) return endpoint.status();
  std::unique_ptr<HttpServer> server(new HttpServer(options));
  server->handler_ = std::move(handler);
  server->error_responder_ = std::move(error_responder);
  beast::error_code error;
  server->acceptor_.open(endpoint->protocol(), error);
  if (!error) server->acceptor_.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) server->acceptor_.bind(*endpoint, error);
  if (!error) server->acceptor_.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen, ": ", error.message()));
  }
  server->port_ = server->acceptor_.local_endpoint().port();
  server->Accept();
  for (int i = 0; i < std::max(1, options.threads); ++i) {
    server->threads_.emplace_back([io = &server->io_] { io->run(); });
  }
  return server;
}

void HttpServer::Accept() {
  acceptor_.async_accept(asio::make_strand(io_),
                         [this](beast::error_code error, tcp::socket socket) {
                           if (error == asio::error::operation_aborted || !acceptor_.is_open())
                             return;
                           if (error) {
                             // E.g. out of file descriptors: wait a little instead of spinning on
                             // the error.
                             LogWarning("http_accept_failed", {{"error", error.message()}});
                             accept_retry_.expires_after(std::chrono::milliseconds(100));
                             accept_retry_.async_wait([this](beast::error_code wait_error) {
                               if (!wait_error && acceptor_.is_open()) Accept();
                             });
                             return;
                           }
                           beast::error_code ignored;
                           socket.set_option(tcp::no_delay(true), ignored);
                           std::make_shared<Session>(std::move(socket), this)->Start();
                           Accept();
                         });
}

void HttpServer::Stop(std::chrono::milliseconds grace) {
  if (stopped_) return;
  stopped_ = true;
  stopping_.store(true);
  asio::post(acceptor_.get_executor(), [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
    accept_retry_.cancel();
  });
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (in_flight_.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (in_flight_.load() > 0) {
    LogWarning("http_stop_timeout", {{"in_flight", in_flight_.load()}});
  }
  work_.reset();
  io_.stop();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

HttpServer::~HttpServer() { Stop(); }

}  // namespace carebridge
