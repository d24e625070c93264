// The HTTP route table, built from the google.api.http annotations of gRPC services.
//
// Every method of every given service with an http rule (get/post/put/patch/delete, body, and its
// additional_bindings) becomes a Route; adding an annotated RPC to a .proto needs no gateway code.
// Match() picks the most specific template (most literal segments, a custom verb before none).
// Immutable after Build; safe to share between threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/descriptor.h>

#include "absl/status/statusor.h"
#include "gateway/path_template.h"

namespace carebridge::gateway {

struct Route {
  std::string http_method;  // "GET", "POST", "PUT", "PATCH" or "DELETE"
  PathTemplate path;
  std::string body;  // "" (no body), "*" (the whole request) or a top-level request field
  const google::protobuf::MethodDescriptor* method = nullptr;
  std::string service_name;  // the service's short name, e.g. "Inquiries"
  std::string grpc_path;     // "/carebridge.v1.Inquiries/CreateInquiry"

  const std::string& pattern() const { return path.pattern(); }
};

struct RouteMatch {
  enum class Outcome { kMatched, kNotFound, kMethodNotAllowed };
  Outcome outcome = Outcome::kNotFound;
  const Route* route = nullptr;       // set when kMatched
  std::vector<PathBinding> bindings;  // set when kMatched
  std::vector<std::string> allowed;   // HTTP methods of the path, set when kMethodNotAllowed
};

class RouteTable {
 public:
  // Routes of every annotated method of `services`. INVALID_ARGUMENT names the method whose rule
  // has a malformed template or names a body field the request does not have.
  static absl::StatusOr<RouteTable> Build(
      const std::vector<const google::protobuf::ServiceDescriptor*>& services);

  RouteMatch Match(std::string_view http_method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;  // most specific first
};

}  // namespace carebridge::gateway
