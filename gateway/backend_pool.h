// gRPC channels to the backend services, and calls to any of their methods without generated stubs
// (grpc::GenericStub callback UnaryCall, serialized messages in and out).
//
// One channel per service address, created at start-up and kept for the process: a backend that
// stops and comes back is reconnected by the channel (reconnect backoff capped at 1 s), so the
// gateway never needs a restart. Every call carries a deadline. Thread-safe; `done` callbacks run
// on gRPC's threads and must not block.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <grpcpp/channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/status.h>

namespace carebridge::gateway {

using CallMetadata = std::vector<std::pair<std::string, std::string>>;

// Called once with the call's status and, when OK, the serialized response.
using CallDone = std::function<void(const grpc::Status& status, std::string response)>;

class BackendPool {
 public:
  // `addresses` maps a service's short name ("Inquiries") to "host:port"; services with an empty
  // address are not configured.
  BackendPool(const std::map<std::string, std::string>& addresses,
              std::chrono::milliseconds call_timeout);

  // Calls `grpc_path` ("/carebridge.v1.Inquiries/CreateInquiry") on `service` with `request`
  // (serialized) and `metadata`. An unconfigured service completes at once with UNAVAILABLE.
  void Call(const std::string& service, const std::string& grpc_path, std::string request,
            const CallMetadata& metadata, CallDone done);

  // grpc.health.v1.Health/Check (whole server) on `service` within `timeout`; `done(serving)`.
  void CheckHealth(const std::string& service, std::chrono::milliseconds timeout,
                   std::function<void(bool serving)> done);

  // Short names of the configured services.
  std::vector<std::string> services() const;

 private:
  struct Backend {
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<grpc::GenericStub> stub;
  };

  void Start(const std::string& service, const std::string& grpc_path, std::string request,
             const CallMetadata& metadata, std::chrono::milliseconds timeout, CallDone done);

  std::map<std::string, Backend> backends_;  // fixed after construction
  const std::chrono::milliseconds call_timeout_;
};

// The status field (1) of a serialized grpc.health.v1.HealthCheckResponse; 1 means SERVING.
// -1 when the bytes do not parse. (Read as unknown fields; the health proto is not linked.)
int HealthStatusOf(const std::string& response);

}  // namespace carebridge::gateway
