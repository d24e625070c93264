// RedisClient against a real Redis: binary-safe commands, error replies, outage and reconnect.
#include "services/common/redis_client.h"

#include <chrono>

#include <gtest/gtest.h>

#include "tests/harness/redis_server.h"

namespace carebridge {
namespace {

using carebridge::testing::RedisServer;

class RedisClientTest : public ::testing::Test {
 protected:
  RedisClientTest() {
    auto server = RedisServer::Start();
    if (!server.ok()) ADD_FAILURE() << server.status();
    server_ = *std::move(server);
    RedisConfig config;
    EXPECT_TRUE(ParseRedisAddress(server_->address(), &config).ok());
    config.command_timeout = std::chrono::milliseconds(300);
    client_ = std::make_unique<RedisClient>(config);
  }
  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<RedisClient> client_;
};

TEST_F(RedisClientTest, ValuesAreBinarySafeAndNeverParsedAsCommands) {
  const std::string value("a b\r\n*1\r\n$4\r\nPING\r\n\0end", 24);
  ASSERT_TRUE(client_->Command({"SET", "k", value}).ok());
  auto got = client_->Command({"GET", "k"});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->type, RedisValue::Type::kString);
  EXPECT_EQ(got->str, value);
  auto missing = client_->Command({"GET", "nope"});
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->type, RedisValue::Type::kNil);
}

TEST_F(RedisClientTest, ConvertsIntegersArraysAndErrorReplies) {
  EXPECT_EQ(client_->Command({"INCRBY", "n", "41"})->integer, 41);
  ASSERT_TRUE(client_->Command({"RPUSH", "l", "x", "y"}).ok());
  auto list = client_->Command({"LRANGE", "l", "0", "-1"});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->elements.size(), 2u);
  EXPECT_EQ(list->elements[1].str, "y");
  EXPECT_EQ(client_->Command({"INCR", "l"}).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(RedisClientTest, OutageIsUnavailableFastAndTheClientReconnectsAfter) {
  ASSERT_TRUE(client_->Command({"PING"}).ok());
  ASSERT_TRUE(server_->Stop().ok());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(client_->Command({"PING"}).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  ASSERT_TRUE(server_->Restart().ok());
  auto pong = client_->Command({"PING"});
  ASSERT_TRUE(pong.ok()) << pong.status();
  EXPECT_EQ(pong->str, "PONG");
}

TEST(RedisAddressTest, ParsesHostAndPortAndRejectsGarbage) {
  RedisConfig config;
  ASSERT_TRUE(ParseRedisAddress("127.0.0.1:6380", &config).ok());
  EXPECT_EQ(config.host, "127.0.0.1");
  EXPECT_EQ(config.port, 6380);
  EXPECT_FALSE(ParseRedisAddress("localhost", &config).ok());
  EXPECT_FALSE(ParseRedisAddress("host:0", &config).ok());
  EXPECT_FALSE(ParseRedisAddress("host:99999", &config).ok());
}

}  // namespace
}  // namespace carebridge
