// The gRPC services the gateway serves over HTTP: every service of package carebridge.v1 found in
// the generated descriptor pool.
//
// A generated .pb.cc registers its descriptors only when the binary links it, and a static library
// member is linked only when referenced; api_services.cc therefore references one message per proto
// file. A new service in an existing file needs no change; a new .proto file needs one line there.
#pragma once

#include <string_view>
#include <vector>

#include <google/protobuf/descriptor.h>

namespace carebridge::gateway {

inline constexpr std::string_view kApiPackage = "carebridge.v1";

// The services of `package` in the files the gateway links, in file then declaration order.
// Descriptors belong to the generated pool and live for the whole process.
std::vector<const google::protobuf::ServiceDescriptor*> ApiServices(
    std::string_view package = kApiPackage);

}  // namespace carebridge::gateway
