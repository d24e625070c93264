// The gRPC server bootstrap every service uses: health (grpc.health.v1), server reflection, and a
// graceful shutdown on SIGTERM / SIGINT; plus deadlines for outgoing calls.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/client_context.h>
#include <grpcpp/server.h>

#include "absl/status/statusor.h"

namespace carebridge {

// Blocks SIGTERM and SIGINT in the calling thread and every thread started after it, so that
// WaitForTerminationSignal() can take them. Call first thing in main().
void BlockTerminationSignals();

// Waits for SIGTERM or SIGINT (blocked beforehand with BlockTerminationSignals) and returns its
// number.
int WaitForTerminationSignal();

// As WaitForTerminationSignal, but gives up after `timeout` and returns 0. For start-up loops that
// wait for a dependency: a SIGTERM meanwhile must end the process, not stay pending.
int WaitForTerminationSignalFor(std::chrono::milliseconds timeout);

class GrpcServer {
 public:
  // Starts serving `services` (not owned; they must outlive the server) on `address` ("host:port";
  // port 0 picks a free one), with health reporting SERVING for each and reflection on.
  // Errors: UNAVAILABLE when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(
      const std::string& address, const std::vector<grpc::Service*>& services);

  int port() const { return port_; }

  // Reports NOT_SERVING, stops taking calls, lets calls in flight finish for up to `grace`, then
  // cancels the rest. Idempotent.
  void Shutdown(std::chrono::milliseconds grace = std::chrono::seconds(10));

  ~GrpcServer();

 private:
  GrpcServer(std::unique_ptr<grpc::Server> server, int port)
      : server_(std::move(server)), port_(port) {}
  std::unique_ptr<grpc::Server> server_;
  int port_;
  bool shut_down_ = false;
};

// A client context whose call fails with DEADLINE_EXCEEDED after `timeout`; `request_id`, when not
// empty, is forwarded as `x-request-id`. Every outgoing call in the suite is made with one.
std::unique_ptr<grpc::ClientContext> NewClientContext(std::chrono::milliseconds timeout,
                                                      const std::string& request_id = "");

// As NewClientContext, carrying `authorization: Bearer <internal_token>` when the token is not
// empty: how the suite's services call each other's internal RPCs.
std::unique_ptr<grpc::ClientContext> NewInternalClientContext(std::chrono::milliseconds timeout,
                                                              const std::string& internal_token,
                                                              const std::string& request_id = "");

}  // namespace carebridge
