#include "services/common/grpc_server.h"

#include <pthread.h>
#include <signal.h>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include "absl/strings/str_cat.h"
#include "services/common/logging.h"

namespace carebridge {
namespace {

sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

void BlockTerminationSignals() {
  sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForTerminationSignal() {
  sigset_t set = TerminationSignals();
  int signal = 0;
  sigwait(&set, &signal);
  return signal;
}

int WaitForTerminationSignalFor(std::chrono::milliseconds timeout) {
  sigset_t set = TerminationSignals();
  timespec wait{};
  wait.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  wait.tv_nsec = static_cast<long>((timeout.count() % 1000) * 1000000);
  const int signal = sigtimedwait(&set, nullptr, &wait);
  return signal > 0 ? signal : 0;  // -1: timed out (EAGAIN) or interrupted (EINTR)
}

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(
    const std::string& address, const std::vector<grpc::Service*>& services) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  // No SO_REUSEPORT (gRPC's default on Linux): a second server on a port already in use must fail
  // to start, not silently take half of its connections.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &port);
  for (grpc::Service* service : services) builder.RegisterService(service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  }
  auto* health = server->GetHealthCheckService();
  if (health != nullptr) health->SetServingStatus(true);
  LogInfo("grpc_server_started", {{"port", port}});
  return std::unique_ptr<GrpcServer>(new GrpcServer(std::move(server), port));
}

void GrpcServer::Shutdown(std::chrono::milliseconds grace) {
  if (shut_down_) return;
  shut_down_ = true;
  if (auto* health = server_->GetHealthCheckService(); health != nullptr) {
    health->SetServingStatus(false);
  }
  server_->Shutdown(std::chrono::system_clock::now() + grace);
  server_->Wait();
  LogInfo("grpc_server_stopped", {{"port", port_}});
}

GrpcServer::~GrpcServer() { Shutdown(); }

std::unique_ptr<grpc::ClientContext> NewClientContext(std::chrono::milliseconds timeout,
                                                      const std::string& request_id) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  if (!request_id.empty()) context->AddMetadata("x-request-id", request_id);
  return context;
}

std::unique_ptr<grpc::ClientContext> NewInternalClientContext(std::chrono::milliseconds timeout,
                                                              const std::string& internal_token,
                                                              const std::string& request_id) {
  auto context = NewClientContext(timeout, request_id);
  if (!internal_token.empty()) context->AddMetadata("authorization", "Bearer " + internal_token);
  return context;
}

}  // namespace carebridge
