// Readiness: every configured backend answers grpc.health.v1 Check with SERVING, and Redis answers
// PING, each within the timeout. The report is JSON made by protobuf (google.protobuf.Struct):
//   {"status": "ready" | "unavailable", "checks": {"inquiries": "serving", "redis": "ok", ...}}
// Check() blocks for up to the Redis timeout: call it off the accept path. Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "gateway/backend_pool.h"
#include "services/common/redis_client.h"

namespace carebridge::gateway {

class Readiness {
 public:
  // Neither is owned; both must outlive every Check.
  Readiness(BackendPool* backends, RedisClient* redis, std::chrono::milliseconds timeout)
      : backends_(backends), redis_(redis), timeout_(timeout) {}

  // Runs the checks; `done(ready, json)` is called once, possibly on a gRPC thread.
  void Check(std::function<void(bool ready, std::string json)> done);

 private:
  BackendPool* backends_;
  RedisClient* redis_;
  const std::chrono::milliseconds timeout_;
};

}  // namespace carebridge::gateway
