// The OpenAPI 3.0 document of the HTTP API (GET /openapi.json), generated from the route table and
// the message descriptors, so it always matches what the gateway serves.
//
// Each route becomes an operation (operationId "<Service>_<Method>", the RPC's leading comment is
// not available from compiled descriptors, so the summary names the RPC); path variables and, for
// routes without a whole-request body, the request's top-level scalar fields (as query parameters)
// are parameters; the body and the reply are schemas in components.schemas, following the proto3
// JSON mapping (lowerCamelCase names, 64-bit integers and well-known types as strings, enums as
// their names). Errors share the google.rpc.Status schema. Pure function; the JSON is produced by
// protobuf (google.protobuf.Struct), not by hand.
#pragma once

#include <string>

#include "gateway/route_table.h"

namespace carebridge::gateway {

std::string OpenApiJson(const RouteTable& routes);

}  // namespace carebridge::gateway
