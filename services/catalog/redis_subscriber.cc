#include "services/catalog/redis_subscriber.h"

#include <poll.h>

#include <algorithm>
#include <memory>

#include <hiredis/hiredis.h>

#include "services/common/logging.h"

namespace carebridge::catalog {
namespace {

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

struct ContextDeleter {
  void operator()(redisContext* context) const { redisFree(context); }
};
struct ReplyDeleter {
  void operator()(void* reply) const { freeReplyObject(reply); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

// The payload of a ["message", channel, payload] push; false for anything else.
bool MessagePayload(const redisReply* reply, std::string* payload) {
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 3) return false;
  const redisReply* kind = reply->element[0];
  const redisReply* data = reply->element[2];
  if (kind->type != REDIS_REPLY_STRING || std::string(kind->str, kind->len) != "message" ||
      data->type != REDIS_REPLY_STRING) {
    return false;
  }
  payload->assign(data->str, data->len);
  return true;
}

}  // namespace

RedisSubscriber::RedisSubscriber(RedisConfig config, std::string channel,
                                 SubscriberCallbacks callbacks, std::chrono::milliseconds tick)
    : config_(std::move(config)),
      channel_(std::move(channel)),
      callbacks_(std::move(callbacks)),
      tick_(tick) {}

RedisSubscriber::~RedisSubscriber() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void RedisSubscriber::Start() {
  thread_ = std::thread([this] { Run(); });
}

bool RedisSubscriber::SleepTicking(std::chrono::milliseconds duration) {
  for (auto slept = std::chrono::milliseconds(0); slept < duration; slept += tick_) {
    if (stop_) return false;
    std::this_thread::sleep_for(tick_);
    if (callbacks_.on_tick) callbacks_.on_tick();
  }
  return !stop_;
}

void RedisSubscriber::Run() {
  std::chrono::milliseconds backoff(100);
  while (!stop_) {
    const auto started = std::chrono::steady_clock::now();
    ServeOneConnection();
    if (stop_) break;
    // A connection that lasted a while resets the backoff.
    if (std::chrono::steady_clock::now() - started > std::chrono::seconds(5)) {
      backoff = std::chrono::milliseconds(100);
    }
    if (!SleepTicking(backoff)) break;
    backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
  }
}

void RedisSubscriber::ServeOneConnection() {
  ContextPtr context(redisConnectWithTimeout(config_.host.c_str(), config_.port,
                                             ToTimeval(config_.connect_timeout)));
  if (!context || context->err) {
    LogWarning("redis_subscribe_connect_failed", {{"port", config_.port}});
    if (callbacks_.on_gap) callbacks_.on_gap();
    return;
  }
  if (redisSetTimeout(context.get(), ToTimeval(config_.command_timeout)) != REDIS_OK) return;
  ReplyPtr ack(static_cast<redisReply*>(
      redisCommand(context.get(), "SUBSCRIBE %b", channel_.data(), channel_.size())));
  if (!ack || ack->type != REDIS_REPLY_ARRAY) {
    LogWarning("redis_subscribe_failed");
    if (callbacks_.on_gap) callbacks_.on_gap();
    return;
  }
  subscribed_ = true;
  LogInfo("redis_subscribed");
  // Anything published before this point was missed.
  if (callbacks_.on_gap) callbacks_.on_gap();

  const int timeout_ms = static_cast<int>(tick_.count());
  while (!stop_) {
    pollfd fd{context->fd, POLLIN, 0};
    const int ready = poll(&fd, 1, timeout_ms);
    if (ready < 0 && errno != EINTR) break;
    if (ready > 0) {
      if (redisBufferRead(context.get()) != REDIS_OK) break;  // closed or failed
      void* raw = nullptr;
      bool failed = false;
      while (true) {
        if (redisGetReplyFromReader(context.get(), &raw) != REDIS_OK) {
          failed = true;
          break;
        }
        if (raw == nullptr) break;
        ReplyPtr reply(static_cast<redisReply*>(raw));
        std::string payload;
        if (MessagePayload(reply.get(), &payload) && callbacks_.on_message) {
          callbacks_.on_message(payload);
        }
      }
      if (failed) break;
    }
    if (callbacks_.on_tick) callbacks_.on_tick();
  }
  subscribed_ = false;
  if (!stop_) {
    LogWarning("redis_subscription_lost");
    if (callbacks_.on_gap) callbacks_.on_gap();
  }
}

}  // namespace carebridge::catalog
