// Request ids: the gateway forwards `x-request-id` (making one when the client sent none); services
// log it with every event of the call and put it in INTERNAL / UNAVAILABLE messages.
#pragma once

#include <string>

#include <grpcpp/server_context.h>

namespace carebridge {

// 16 random bytes as 32 hex characters.
std::string NewRequestId();

// The caller's `x-request-id` when it is a short token of [A-Za-z0-9._-], else a new id (client
// values are echoed into logs, so anything else is replaced).
std::string RequestIdOf(const grpc::ServerContext& context);

// True when `id` is 1..64 characters of [A-Za-z0-9._-].
bool IsAcceptableRequestId(std::string_view id);

// The value of metadata `key` sent by the client, or "" when absent.
std::string ClientMetadata(const grpc::ServerContext& context, std::string_view key);

}  // namespace carebridge
