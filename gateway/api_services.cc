#include "gateway/api_services.h"

#include <set>

#include "carebridge/v1/catalog.pb.h"
#include "carebridge/v1/identity.pb.h"
#include "carebridge/v1/inquiries.pb.h"
#include "carebridge/v1/scheduling.pb.h"

namespace carebridge::gateway {
namespace {

// One line per .proto file of the API: the reference links the file's generated code.
std::vector<const google::protobuf::FileDescriptor*> LinkedApiFiles() {
  return {
      carebridge::v1::Inquiry::descriptor()->file(),
      carebridge::v1::Clinic::descriptor()->file(),
      carebridge::v1::Session::descriptor()->file(),
      carebridge::v1::Booking::descriptor()->file(),
  };
}

}  // namespace

std::vector<const google::protobuf::ServiceDescriptor*> ApiServices(std::string_view package) {
  std::vector<const google::protobuf::ServiceDescriptor*> services;
  std::set<const google::protobuf::FileDescriptor*> seen;
  for (const auto* file : LinkedApiFiles()) {
    if (file->package() != package || !seen.insert(file).second) continue;
    for (int i = 0; i < file->service_count(); ++i) services.push_back(file->service(i));
  }
  return services;
}

}  // namespace carebridge::gateway
