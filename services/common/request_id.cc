#include "services/common/request_id.h"

#include <sodium.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"

namespace carebridge {

std::string NewRequestId() {
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof(bytes));
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(bytes), 16));
}

bool IsAcceptableRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

std::string ClientMetadata(const grpc::ServerContext& context, std::string_view key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

std::string RequestIdOf(const grpc::ServerContext& context) {
  std::string id = ClientMetadata(context, "x-request-id");
  return IsAcceptableRequestId(id) ? id : NewRequestId();
}

}  // namespace carebridge
