// The Beast server on a loopback port: keep-alive, repeated headers, HEAD, body limits, malformed
// requests, replies from other threads, and a graceful stop that lets requests in flight finish.
#include "services/common/http_server.h"

#include <future>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace carebridge {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using ::testing::ElementsAre;

class HttpServerTest : public ::testing::Test {
 protected:
  void Start(HttpServerOptions options, HttpServer::Handler handler) {
    options.listen = "127.0.0.1:0";
    auto server = HttpServer::Start(options, std::move(handler), [](int status) {
      HttpResponse response;
      response.status = status;
      response.content_type = "application/json";
      response.body = "{\"refused\":" + std::to_string(status) + "}";
      return response;
    });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_GT(server_->port(), 0);
  }

  // A handler that echoes the method, target and body, replying from the calling thread.
  static HttpServer::Handler Echo() {
    return [](HttpRequest request, asio::any_io_executor executor, HttpServer::Reply reply) {
      HttpResponse response;
      response.content_type = "text/plain";
      response.body = request.method + " " + request.target + " " + request.body;
      response.headers = {{"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}};
      asio::post(executor, [reply, response] { reply(response); });
    };
  }

  tcp::socket Connect() {
    tcp::socket socket(io_);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                                 static_cast<unsigned short>(server_->port())));
    return socket;
  }

  static http::response<http::string_body> Exchange(tcp::socket& socket,
                                                    http::request<http::string_body> request) {
    request.set(http::field::host, "localhost");
    request.prepare_payload();
    http::write(socket, request);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.skip(request.method() == http::verb::head);
    http::read(socket, buffer, parser);
    return parser.release();
  }

  asio::io_context io_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  Start({}, Echo());
  tcp::socket socket = Connect();
  for (int i = 0; i < 3; ++i) {
    auto response = Exchange(socket, {http::verb::post, "/x?i=" + std::to_string(i), 11, "body"});
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_EQ(response.body(), "POST /x?i=" + std::to_string(i) + " body");
    EXPECT_TRUE(response.keep_alive());
  }
}

TEST_F(HttpServerTest, RepeatedHeadersAreAllSent) {
  Start({}, Echo());
  tcp::socket socket = Connect();
  auto response = Exchange(socket, {http::verb::get, "/", 11});
  std::vector<std::string> cookies;
  for (const auto& field : response) {
    if (field.name() == http::field::set_cookie) cookies.emplace_back(field.value());
  }
  EXPECT_THAT(cookies, ElementsAre("a=1", "b=2"));
}

TEST_F(HttpServerTest, HeadGetsHeadersWithoutBody) {
  Start({}, Echo());
  tcp::socket socket = Connect();
  auto response = Exchange(socket, {http::verb::head, "/abc", 11});
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response[http::field::content_length], "10");  // "HEAD /abc "
  EXPECT_TRUE(response.body().empty());
  // The connection is still usable: the empty body was not misread.
  EXPECT_EQ(Exchange(socket, {http::verb::get, "/next", 11}).body(), "GET /next ");
}

TEST_F(HttpServerTest, BodiesOverTheLimitAreRefusedWith413) {
  HttpServerOptions options;
  options.max_body_bytes = 100;
  Start(options, Echo());
  tcp::socket socket = Connect();
  auto response = Exchange(socket, {http::verb::post, "/", 11, std::string(101, 'x')});
  EXPECT_EQ(response.result_int(), 413);
  EXPECT_EQ(response.body(), "{\"refused\":413}");
  EXPECT_FALSE(response.keep_alive());

  tcp::socket fits = Connect();
  EXPECT_EQ(Exchange(fits, {http::verb::post, "/", 11, std::string(100, 'x')}).result_int(), 200);
}

TEST_F(HttpServerTest, ChunkedBodiesOverTheLimitAreRefusedToo) {
  HttpServerOptions options;
  options.max_body_bytes = 100;
  Start(options, Echo());
  tcp::socket socket = Connect();
  const std::string raw =
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "64\r\n" +
      std::string(100, 'x') + "\r\n" + "1\r\nx\r\n0\r\n\r\n";
  asio::write(socket, asio::buffer(raw));
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  EXPECT_EQ(response.result_int(), 413);
}

TEST_F(HttpServerTest, MalformedRequestsGet400) {
  Start({}, Echo());
  tcp::socket socket = Connect();
  asio::write(socket, asio::buffer(std::string("NOT HTTP AT ALL\r\n\r\n")));
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  EXPECT_EQ(response.result_int(), 400);
}

TEST_F(HttpServerTest, StopFinishesRequestsInFlightAndRefusesNewConnections) {
  std::promise<void> started;
  Start({}, [&started](HttpRequest, asio::any_io_executor executor, HttpServer::Reply reply) {
    started.set_value();
    // Reply later, from another thread, as a backend completion would.
    std::thread([executor, reply] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      HttpResponse response;
      response.body = "late";
      asio::post(executor, [reply, response] { reply(response); });
    }).detach();
  });
  tcp::socket socket = Connect();
  auto pending = std::async(std::launch::async, [&socket] {
    return Exchange(socket, {http::verb::get, "/slow", 11});
  });
  started.get_future().wait();
  const int port = server_->port();
  server_->Stop(std::chrono::seconds(5));
  auto response = pending.get();
  EXPECT_EQ(response.body(), "late");
  EXPECT_FALSE(response.keep_alive());  // stopping: the connection is not kept
  tcp::socket late(io_);
  boost::system::error_code error;
  late.connect(
      tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)), error);
  EXPECT_TRUE(error);
}

TEST(HttpServerStartTest, BadListenAddressesAreErrors) {
  HttpServerOptions options;
  auto echo = [](HttpRequest, asio::any_io_executor, HttpServer::Reply) {};
  auto refuse = [](int) { return HttpResponse(); };
  options.listen = "localhost";
  EXPECT_EQ(HttpServer::Start(options, echo, refuse).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.listen = "not-an-ip:80";
  EXPECT_EQ(HttpServer::Start(options, echo, refuse).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace carebridge
