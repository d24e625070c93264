// Self-test of the integration harness: the servers start, answer, keep their data across a
// stop/restart, and the small helpers do what their headers say.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "services/common/redis_client.h"
#include "tests/harness/child_process.h"
#include "tests/harness/http_client.h"
#include "tests/harness/net.h"
#include "tests/harness/postgres_server.h"
#include "tests/harness/redis_server.h"
#include "tests/harness/test_env.h"

namespace carebridge::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

// Stop and Restart are meant to take well under 2 s; the bound leaves room for a loaded CI box
// and sanitizer builds without letting a hang pass.
constexpr auto kQuick = seconds(5);

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(PostgresServerTest, ServesQueriesAndKeepsDataAcrossRestart) {
  absl::StatusOr<std::unique_ptr<PostgresServer>> server = PostgresServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  PostgresServer& pg = **server;
  EXPECT_EQ(pg.uri(),
            "postgresql://postgres@127.0.0.1:" + std::to_string(pg.port()) + "/carebridge");

  {
    pqxx::connection connection(pg.uri());
    pqxx::work tx(connection);
    EXPECT_EQ(tx.exec1("SELECT current_database()")[0].as<std::string>(), "carebridge");
    EXPECT_EQ(tx.exec1("SHOW fsync")[0].as<std::string>(), "off");
    tx.exec0("CREATE TABLE kept (v text)");
    tx.exec0("INSERT INTO kept VALUES ('before restart')");
    tx.commit();
  }

  auto started = steady_clock::now();
  ASSERT_TRUE(pg.Stop().ok());
  EXPECT_LT(steady_clock::now() - started, kQuick);
  EXPECT_THROW(pqxx::connection(pg.uri() + "?connect_timeout=1"), pqxx::broken_connection);
  EXPECT_TRUE(pg.Stop().ok()) << "stopping a stopped server is a no-op";

  started = steady_clock::now();
  absl::Status restarted = pg.Restart();
  ASSERT_TRUE(restarted.ok()) << restarted;
  EXPECT_LT(steady_clock::now() - started, kQuick);
  pqxx::connection connection(pg.uri());
  pqxx::work tx(connection);
  EXPECT_EQ(tx.exec1("SELECT v FROM kept")[0].as<std::string>(), "before restart");

  // Restart of a running server: stops it first.
  tx.abort();
  ASSERT_TRUE(pg.Restart().ok());
}

TEST(PostgresServerTest, DestructorRemovesTheCluster) {
  std::string dir;
  {
    absl::StatusOr<std::unique_ptr<PostgresServer>> server = PostgresServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    dir = (*server)->data_dir();
    ASSERT_TRUE(std::filesystem::exists(dir + "/PG_VERSION"));
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST(RedisServerTest, AnswersPingAndKeepsDataAcrossRestart) {
  absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  RedisServer& redis = **server;
  EXPECT_EQ(redis.address(), "127.0.0.1:" + std::to_string(redis.port()));

  RedisConfig config;
  ASSERT_TRUE(ParseRedisAddress(redis.address(), &config).ok());
  RedisClient client(config);
  absl::StatusOr<RedisValue> pong = client.Command({"PING"});
  ASSERT_TRUE(pong.ok()) << pong.status();
  EXPECT_EQ(pong->str, "PONG");
  absl::StatusOr<RedisValue> policy = client.Command({"CONFIG", "GET", "maxmemory-policy"});
  ASSERT_TRUE(policy.ok()) << policy.status();
  ASSERT_EQ(policy->elements.size(), 2u);
  EXPECT_EQ(policy->elements[1].str, "noeviction");
  absl::StatusOr<RedisValue> aof = client.Command({"CONFIG", "GET", "appendonly"});
  ASSERT_TRUE(aof.ok()) << aof.status();
  ASSERT_EQ(aof->elements.size(), 2u);
  EXPECT_EQ(aof->elements[1].str, "yes");
  ASSERT_TRUE(client.Command({"SET", "kept", "before restart"}).ok());

  auto started = steady_clock::now();
  ASSERT_TRUE(redis.Stop().ok());
  EXPECT_LT(steady_clock::now() - started, kQuick);
  EXPECT_EQ(client.Command({"PING"}).status().code(), absl::StatusCode::kUnavailable);

  started = steady_clock::now();
  absl::Status restarted = redis.Restart();
  ASSERT_TRUE(restarted.ok()) << restarted;
  EXPECT_LT(steady_clock::now() - started, kQuick);
  absl::StatusOr<RedisValue> kept = client.Command({"GET", "kept"});
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(kept->str, "before restart");
}

TEST(ChildProcessTest, AppendsOutputToLogAndReportsExitCode) {
  const std::string log = TempDir() + "/child.log";
  auto child = ChildProcess::Spawn("/bin/sh", {"-c", "echo out $GREETING; echo err >&2; exit 3"},
                                   {{"GREETING", "hello"}}, log);
  ASSERT_TRUE(child.ok()) << child.status();
  EXPECT_EQ((*child)->Wait(seconds(10)), 3);
  EXPECT_FALSE((*child)->Running());
  EXPECT_EQ(ReadFile(log), "out hello\nerr\n");
}

TEST(ChildProcessTest, TerminateEscalatesToKill) {
  const std::string log = TempDir() + "/child.log";
  auto polite = ChildProcess::Spawn("sleep", {"30"}, {}, log);
  ASSERT_TRUE(polite.ok()) << polite.status();
  EXPECT_TRUE((*polite)->Running());
  EXPECT_EQ((*polite)->Terminate(), -SIGTERM);

  auto stubborn =
      ChildProcess::Spawn("/bin/sh", {"-c", "trap '' TERM; echo ready; sleep 30"}, {}, log);
  ASSERT_TRUE(stubborn.ok()) << stubborn.status();
  // Wait for the trap to be installed before sending SIGTERM.
  for (int i = 0; i < 500 && ReadFile(log).find("ready") == std::string::npos; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ((*stubborn)->Terminate(milliseconds(200)), -SIGKILL);
}

TEST(ChildProcessTest, MissingProgramIsAnError) {
  EXPECT_EQ(ChildProcess::Spawn("/nonexistent/program", {}, {}, "").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(NetTest, WaitForTcpPortTimesOutOnAClosedPort) {
  const int port = FreePort();
  EXPECT_GT(port, 0);
  EXPECT_EQ(WaitForTcpPort(port, milliseconds(50)).code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(TempDirTest, HandsOutFreshDirectories) {
  const std::string a = TempDir();
  const std::string b = TempDir();
  EXPECT_NE(a, b);
  EXPECT_TRUE(std::filesystem::is_directory(a));
  EXPECT_TRUE(std::filesystem::is_empty(b));
}

// Answers one HTTP request with a canned response and records what it received.
class OneShotHttpServer {
 public:
  OneShotHttpServer() {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    EXPECT_EQ(bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(listen(listener_, 1), 0);
    EXPECT_EQ(getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~OneShotHttpServer() {
    thread_.join();
    close(listener_);
  }
  int port() const { return port_; }
  // Valid after the client has its response.
  const std::string& request() const { return request_; }

 private:
  void Serve() {
    const int fd = accept(listener_, nullptr, nullptr);
    char buf[4096];
    // The test's requests are small: read until the body announced by Content-Length is in.
    while (true) {
      const ssize_t n = read(fd, buf, sizeof(buf));
      if (n <= 0) break;
      request_.append(buf, static_cast<size_t>(n));
      const size_t end = request_.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      const size_t cl = request_.find("Content-Length: ");
      const size_t body_len = cl == std::string::npos ? 0 : std::stoul(request_.substr(cl + 16));
      if (request_.size() >= end + 4 + body_len) break;
    }
    const std::string response =
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Multi: a\r\nX-Multi: b\r\n"
        "Content-Length: 11\r\nConnection: close\r\n\r\n{\"ok\":true}";
    EXPECT_EQ(write(fd, response.data(), response.size()), static_cast<ssize_t>(response.size()));
    close(fd);
  }

  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::string request_;
};

TEST(HttpClientTest, SendsMethodBodyAndHeadersAndParsesTheResponse) {
  OneShotHttpServer server;
  HttpResponse response =
      HttpRequest("PATCH", "http://127.0.0.1:" + std::to_string(server.port()) + "/v1/x",
                  R"({"a":1})", {"Content-Type: application/json", "Idempotency-Key: k1"});
  EXPECT_EQ(response.status, 201) << response.error;
  EXPECT_EQ(response.body, R"({"ok":true})");
  EXPECT_EQ(response.headers["content-type"], "application/json");
  EXPECT_EQ(response.headers["x-multi"], "a, b");
  EXPECT_EQ(server.request().rfind("PATCH /v1/x HTTP/1.1\r\n", 0), 0u) << server.request();
  EXPECT_NE(server.request().find("Idempotency-Key: k1\r\n"), std::string::npos);
  EXPECT_NE(server.request().find("\r\n\r\n{\"a\":1}"), std::string::npos);
}

TEST(HttpClientTest, ReportsTransportErrors) {
  HttpResponse response = HttpRequest("GET", "http://127.0.0.1:" + std::to_string(FreePort()) + "/",
                                      "", {}, seconds(2));
  EXPECT_EQ(response.status, 0);
  EXPECT_FALSE(response.error.empty());
}

}  // namespace
}  // namespace carebridge::testing
