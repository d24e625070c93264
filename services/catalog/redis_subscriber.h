// A Redis pub/sub subscription on its own thread, kept alive across Redis restarts.
//
// The thread connects, subscribes to one channel and hands each message to `on_message`. When the
// connection drops it reconnects with backoff (up to 2 s between tries); `on_gap` runs each time
// the subscription is lost or (re)established, since messages may have been missed in between.
// `on_tick` runs about every `tick` whatever happens (for periodic work such as retries).
// Callbacks run on the subscriber's thread and must not block for long.
//
// (hiredis is used directly here because the shared RedisClient pools request/reply connections,
// which a subscribed connection is not. Its error codes are converted here and nowhere else; this
// class can move to services/common once a second service needs it.)
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "services/common/redis_client.h"

namespace carebridge::catalog {

struct SubscriberCallbacks {
  std::function<void(const std::string& message)> on_message;
  std::function<void()> on_gap;
  std::function<void()> on_tick;
};

class RedisSubscriber {
 public:
  RedisSubscriber(RedisConfig config, std::string channel, SubscriberCallbacks callbacks,
                  std::chrono::milliseconds tick = std::chrono::milliseconds(100));
  RedisSubscriber(const RedisSubscriber&) = delete;
  RedisSubscriber& operator=(const RedisSubscriber&) = delete;
  // Stops the thread (within about one tick) and joins it.
  ~RedisSubscriber();

  // Starts the thread. Call once.
  void Start();

  // True while subscribed (for readiness reporting and tests).
  bool subscribed() const { return subscribed_.load(); }

 private:
  void Run();
  // Subscribes on a fresh connection and reads messages until the connection fails or Stop.
  void ServeOneConnection();
  // Sleeps up to `duration` in tick-sized steps, running on_tick; false when stopping.
  bool SleepTicking(std::chrono::milliseconds duration);

  const RedisConfig config_;
  const std::string channel_;
  const SubscriberCallbacks callbacks_;
  const std::chrono::milliseconds tick_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> subscribed_{false};
  std::thread thread_;
};

}  // namespace carebridge::catalog
