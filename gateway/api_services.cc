#include "gateway/api_services.h"

#include <set>

#include "carebridge/v1/catalog.pb.h"
#include "carebridge/v1/identity.pb.h"
#include "carebridge/v1/inquiries.pb.h"

namespace carebridge::gateway {
namespace {

// One line per .proto file of the API: the reference links the file's generated code.
std::vector<const google::protobuf::FileDescriptor*> LinkedApiFiles() {
  return {
      carebridge::v1::Inquiry::descriptor()->file(),
      carebridge::v1::Clinic::descriptor()->file(),
      carebridge::v1::Session::descriptor()->file(),
  };
}

}  // namespace

std::vector<const google::protobuf::ServiceDescriptor*> ApiServices(std::string_view package) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  std::vector<const google::protobuf::ServiceDescriptor*> services;
  std::set<std::string> seen;
  for (const auto* linked : LinkedApiFiles()) {
    // Looked up again by name so that the pool, not the anchor, is the source of truth.
    const auto* file = pool->FindFileByName(linked->name());
    if (file == nullptr || file->package() != package) continue;
    for (int i = 0; i < file->service_count(); ++i) {
      const auto* service = file->service(i);
      if (seen.insert(service->full_name()).second) services.push_back(service);
    }
  }
  return services;
}

}  // namespace carebridge::gateway
