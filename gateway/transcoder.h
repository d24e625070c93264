// HTTP/JSON <-> protobuf for one matched route: builds the request message from the body, the path
// variables and the query string, and prints the response message as JSON.
//
// The body follows the rule's `body`: "*" fills the whole request, "field" fills that field, none
// ignores the body. application/json is parsed by protobuf's JSON parser (unknown fields ignored,
// enums in any case, lowerCamelCase or snake_case names); application/x-www-form-urlencoded pairs
// are set by reflection (field_setter.h), except `idempotency_key`, which is returned separately
// for the call's metadata. Query parameters set fields outside the body; path variables are set
// last. Thread-safe (no shared state).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "gateway/route_table.h"
#include "gateway/url_encoding.h"
#include "services/common/http_message.h"

namespace carebridge::gateway {

// The form input that carries the idempotency key; it is not a field of the request message.
inline constexpr std::string_view kIdempotencyKeyInput = "idempotency_key";

struct TranscodedRequest {
  std::unique_ptr<google::protobuf::Message> message;
  bool is_form = false;         // the body was urlencoded
  FormPairs form_pairs;         // the decoded form, as posted (to re-render a form page)
  std::string idempotency_key;  // from the form's idempotency_key input, if any
};

// Builds into `out` the request message for `match` from `request`. Errors (all INVALID_ARGUMENT,
// with a google.rpc.BadRequest naming each bad field): a value that does not convert, a malformed
// JSON body, an unsupported content type (then `*unsupported_media_type` is set so the caller can
// answer 415). On error `out` still holds what was decoded (is_form, form_pairs), so a form page
// can be shown again with the user's input.
absl::Status BuildRequest(const RouteMatch& match, const HttpRequest& request,
                          TranscodedRequest* out, bool* unsupported_media_type);

// The response as proto3 JSON (lowerCamelCase names, default values printed). INTERNAL when it
// cannot be printed.
absl::StatusOr<std::string> ResponseJson(const google::protobuf::Message& response);

// A new, empty message of `descriptor`'s generated type.
std::unique_ptr<google::protobuf::Message> NewMessage(
    const google::protobuf::Descriptor* descriptor);

}  // namespace carebridge::gateway
