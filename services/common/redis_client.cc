#include "services/common/redis_client.h"

#include <hiredis/hiredis.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/logging.h"

namespace carebridge {
namespace {

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

RedisValue Convert(const redisReply* reply) {
  RedisValue value;
  switch (reply->type) {
    case REDIS_REPLY_INTEGER:
      value.type = RedisValue::Type::kInteger;
      value.integer = reply->integer;
      break;
    case REDIS_REPLY_STRING:
      value.type = RedisValue::Type::kString;
      value.str.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_STATUS:
      value.type = RedisValue::Type::kStatus;
      value.str.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_ARRAY:
      value.type = RedisValue::Type::kArray;
      for (size_t i = 0; i < reply->elements; ++i)
        value.elements.push_back(Convert(reply->element[i]));
      break;
    default:
      value.type = RedisValue::Type::kNil;
  }
  return value;
}

}  // namespace

absl::Status ParseRedisAddress(const std::string& address, RedisConfig* config) {
  const auto colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port) || port <= 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("Redis address must be host:port, got \"", address, "\""));
  }
  config->host = address.substr(0, colon);
  config->port = port;
  return absl::OkStatus();
}

void RedisClient::ContextDeleter::operator()(redisContext* context) const { redisFree(context); }

RedisClient::RedisClient(RedisConfig config) : config_(std::move(config)) {}
RedisClient::~RedisClient() = default;

absl::StatusOr<RedisClient::ContextPtr> RedisClient::Connect() {
  const timeval connect_timeout = ToTimeval(config_.connect_timeout);
  ContextPtr context(redisConnectWithTimeout(config_.host.c_str(), config_.port, connect_timeout));
  if (!context || context->err) {
    LogWarning("redis_connect_failed", {{"port", config_.port}});
    return absl::UnavailableError("Redis is unavailable");
  }
  const timeval command_timeout = ToTimeval(config_.command_timeout);
  if (redisSetTimeout(context.get(), command_timeout) != REDIS_OK) {
    return absl::UnavailableError("Redis is unavailable");
  }
  return context;
}

absl::StatusOr<RedisValue> RedisClient::Command(const std::vector<std::string>& args) {
  ContextPtr context;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      context = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!context) {
    auto connected = Connect();
    if (!connected.ok()) return connected.status();
    context = *std::move(connected);
  }
  std::vector<const char*> argv;
  std::vector<size_t> argvlen;
  argv.reserve(args.size());
  argvlen.reserve(args.size());
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    argvlen.push_back(arg.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(context.get(), static_cast<int>(argv.size()), argv.data(), argvlen.data()));
  if (reply == nullptr) {
    // I/O error or timeout: the connection's state is unknown, so it is dropped.
    LogWarning("redis_command_failed", {{"command", args.empty() ? "" : args[0]}});
    return absl::UnavailableError("Redis is unavailable");
  }
  std::unique_ptr<redisReply, void (*)(void*)> owned(reply, freeReplyObject);
  absl::StatusOr<RedisValue> result;
  if (reply->type == REDIS_REPLY_ERROR) {
    result = absl::FailedPreconditionError(std::string(reply->str, reply->len));
  } else {
    result = Convert(reply);
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (static_cast<int>(idle_.size()) < config_.pool_size) idle_.push_back(std::move(context));
  }
  return result;
}

}  // namespace carebridge
