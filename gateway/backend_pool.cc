#include "gateway/backend_pool.h"

#include <google/protobuf/unknown_field_set.h>
#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/channel_arguments.h>

namespace carebridge::gateway {
namespace {

constexpr char kHealthCheckMethod[] = "/grpc.health.v1.Health/Check";
constexpr int kServing = 1;

// Everything one call needs until its completion runs.
struct CallState {
  grpc::ClientContext context;
  std::string method;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
  CallDone done;
};

std::string ToString(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

}  // namespace

BackendPool::BackendPool(const std::map<std::string, std::string>& addresses,
                         std::chrono::milliseconds call_timeout)
    : call_timeout_(call_timeout) {
  for (const auto& [service, address] : addresses) {
    if (address.empty()) continue;
    grpc::ChannelArguments args;
    // Reconnect quickly after a backend restart instead of backing off for up to two minutes.
    // (GRPC_ARG_MIN_RECONNECT_BACKOFF_MS is left alone: gRPC uses it as the connect timeout.)
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
    Backend backend;
    backend.channel = grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
    backend.stub = std::make_unique<grpc::GenericStub>(backend.channel);
    backends_.emplace(service, std::move(backend));
  }
}

void BackendPool::Call(const std::string& service, const std::string& grpc_path,
                       std::string request, const CallMetadata& metadata, CallDone done) {
  Start(service, grpc_path, std::move(request), metadata, call_timeout_, std::move(done));
}

void BackendPool::Start(const std::string& service, const std::string& grpc_path,
                        std::string request, const CallMetadata& metadata,
                        std::chrono::milliseconds timeout, CallDone done) {
  auto it = backends_.find(service);
  if (it == backends_.end()) {
    done(grpc::Status(grpc::StatusCode::UNAVAILABLE, "service not configured"), "");
    return;
  }
  auto* state = new CallState();
  state->context.set_deadline(std::chrono::system_clock::now() + timeout);
  for (const auto& [key, value] : metadata) state->context.AddMetadata(key, value);
  state->method = grpc_path;
  grpc::Slice slice(request);
  state->request = grpc::ByteBuffer(&slice, 1);
  state->done = std::move(done);
  it->second.stub->UnaryCall(&state->context, state->method, grpc::StubOptions(), &state->request,
                             &state->response, [state](grpc::Status status) {
                               std::unique_ptr<CallState> owned(state);
                               std::string response;
                               if (status.ok()) response = ToString(owned->response);
                               owned->done(status, std::move(response));
                             });
}

void BackendPool::CheckHealth(const std::string& service, std::chrono::milliseconds timeout,
                              std::function<void(bool serving)> done) {
  // An empty HealthCheckRequest asks about the server as a whole.
  Start(service, kHealthCheckMethod, "", {}, timeout,
        [done = std::move(done)](const grpc::Status& status, std::string response) {
          done(status.ok() && HealthStatusOf(response) == kServing);
        });
}

std::vector<std::string> BackendPool::services() const {
  std::vector<std::string> names;
  for (const auto& [name, backend] : backends_) names.push_back(name);
  return names;
}

int HealthStatusOf(const std::string& response) {
  // Read without the health proto: the response is one enum field, number 1.
  google::protobuf::UnknownFieldSet fields;
  if (!fields.ParseFromString(response)) return -1;
  int status = 0;  // proto3 default: UNKNOWN
  for (int i = 0; i < fields.field_count(); ++i) {
    const auto& field = fields.field(i);
    if (field.number() == 1 && field.type() == google::protobuf::UnknownField::TYPE_VARINT) {
      status = static_cast<int>(field.varint());
    }
  }
  return status;
}

}  // namespace carebridge::gateway
