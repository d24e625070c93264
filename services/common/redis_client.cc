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

absl::StatusOr<RedisClient::ContextPtr> RedisClient::Take() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      ContextPtr context = std::move(idle_.back());
      idle_.pop_back();
      return context;
    }
  }
  return Connect();
}

void RedisClient::Return(ContextPtr context) {
  std::lock_guard<std::mutex> lock(mu_);
  if (static_cast<int>(idle_.size()) < config_.pool_size) idle_.push_back(std::move(context));
}

absl::StatusOr<RedisValue> RedisClient::Command(const std::vector<std::string>& args) {
  return Command(args, config_.command_timeout);
}

absl::StatusOr<RedisValue> RedisClient::Command(const std::vector<std::string>& args,
                                                std::chrono::milliseconds timeout) {
  auto taken = Take();
  if (!taken.ok()) return taken.status();
  ContextPtr context = *std::move(taken);
  const bool custom_timeout = timeout != config_.command_timeout;
  if (custom_timeout && redisSetTimeout(context.get(), ToTimeval(timeout)) != REDIS_OK) {
    return absl::UnavailableError("Redis is unavailable");
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
  if (custom_timeout &&
      redisSetTimeout(context.get(), ToTimeval(config_.command_timeout)) != REDIS_OK) {
    return result;  // the connection is dropped rather than pooled with the wrong timeout
  }
  Return(std::move(context));
  return result;
}

absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  auto taken = Take();
  if (!taken.ok()) return taken.status();
  ContextPtr context = *std::move(taken);
  for (const auto& args : commands) {
    std::vector<const char*> argv;
    std::vector<size_t> argvlen;
    for (const std::string& arg : args) {
      argv.push_back(arg.data());
      argvlen.push_back(arg.size());
    }
    if (redisAppendCommandArgv(context.get(), static_cast<int>(argv.size()), argv.data(),
                               argvlen.data()) != REDIS_OK) {
      return absl::UnavailableError("Redis is unavailable");
    }
  }
  std::vector<absl::StatusOr<RedisValue>> results;
  results.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context.get(), &raw) != REDIS_OK || raw == nullptr) {
      LogWarning("redis_pipeline_failed", {{"sent", static_cast<long long>(commands.size())}});
      return absl::UnavailableError("Redis is unavailable");
    }
    std::unique_ptr<redisReply, void (*)(void*)> owned(static_cast<redisReply*>(raw),
                                                       freeReplyObject);
    if (owned->type == REDIS_REPLY_ERROR) {
      results.push_back(absl::FailedPreconditionError(std::string(owned->str, owned->len)));
    } else {
      results.push_back(Convert(owned.get()));
    }
  }
  Return(std::move(context));
  return results;
}

}  // namespace carebridge
