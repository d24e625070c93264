#include "services/followups/metrics.h"

#include <string>
#include <utility>

#include <boost/beast/http/status.hpp>

namespace carebridge::followups {
namespace {

namespace http = boost::beast::http;

HttpResponse PlainText(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  response.body = std::move(body);
  return response;
}

}  // namespace

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(
    const std::string& address, std::function<std::string()> render) {
  HttpServerOptions options;
  options.listen = address;
  options.threads = 1;
  options.max_body_bytes = 0;  // a scrape has no body
  options.read_timeout = std::chrono::seconds(5);
  options.write_timeout = std::chrono::seconds(5);
  auto handler = [render = std::move(render)](HttpRequest request, boost::asio::any_io_executor,
                                              HttpServer::Reply reply) {
    const std::string path = request.target.substr(0, request.target.find('?'));
    if (path != "/metrics") return reply(PlainText(404, "not found\n"));
    if (request.method != "GET" && request.method != "HEAD") {
      HttpResponse refused = PlainText(405, "method not allowed\n");
      refused.SetHeader("Allow", "GET, HEAD");
      return reply(std::move(refused));
    }
    reply(PlainText(200, render()));
  };
  // 400, 413 or 431, named by its reason phrase ("Request Header Fields Too Large").
  auto refuse = [](int status) {
    const auto reason = http::obsolete_reason(static_cast<http::status>(status));
    return PlainText(status, std::string(reason.data(), reason.size()) + "\n");
  };
  absl::StatusOr<std::unique_ptr<HttpServer>> server =
      HttpServer::Start(options, std::move(handler), std::move(refuse));
  if (!server.ok()) return server.status();
  return std::unique_ptr<MetricsServer>(new MetricsServer(*std::move(server)));
}

}  // namespace carebridge::followups
