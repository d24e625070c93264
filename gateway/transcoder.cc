#include "gateway/transcoder.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gateway/field_setter.h"
#include "services/common/errors.h"

namespace carebridge::gateway {
namespace {

using google::protobuf::Message;

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kForm = "application/x-www-form-urlencoded";

// protobuf's JSON parser reports a bad value as "(field.path): invalid value ..."; the path is the
// one thing worth keeping (the rest echoes the input).
std::string FieldPathOfJsonError(std::string_view message) {
  if (message.empty() || message[0] != '(') return "";
  const size_t close = message.find(')');
  if (close == std::string_view::npos || close < 2) return "";
  return std::string(message.substr(1, close - 1));
}

absl::Status ParseJsonBody(std::string_view body, Message* target) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  options.case_insensitive_enum_parsing = true;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(body.data(), body.size()), target, options);
  if (status.ok()) return absl::OkStatus();
  const std::string field =
      FieldPathOfJsonError(std::string_view(status.message().data(), status.message().size()));
  if (!field.empty()) return InvalidFields({{field, "has an invalid value"}});
  return InvalidFields({{"body", "is not a valid JSON object"}});
}

// Where the body goes: the whole request, a field of it, or nowhere.
Message* BodyTarget(const Route& route, Message* request) {
  if (route.body.empty()) return nullptr;
  if (route.body == "*") return request;
  const auto* field = request->GetDescriptor()->FindFieldByName(route.body);
  if (field == nullptr || field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE ||
      field->is_repeated()) {
    return nullptr;
  }
  return request->GetReflection()->MutableMessage(request, field);
}

}  // namespace

std::unique_ptr<Message> NewMessage(const google::protobuf::Descriptor* descriptor) {
  const Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor);
  return std::unique_ptr<Message>(prototype->New());
}

absl::Status BuildRequest(const RouteMatch& match, const HttpRequest& request,
                          TranscodedRequest* out, bool* unsupported_media_type) {
  *unsupported_media_type = false;
  const Route& route = *match.route;
  TranscodedRequest& result = *out;
  result.message = NewMessage(route.method->input_type());
  Message* message = result.message.get();

  if (Message* target = BodyTarget(route, message); target != nullptr && !request.body.empty()) {
    const std::string media_type = MediaType(request.Header("content-type"));
    if (media_type == kForm) {
      result.is_form = true;
      for (auto& [name, value] : ParseUrlEncoded(request.body)) {
        if (name == kIdempotencyKeyInput) {
          result.idempotency_key = value;
        } else {
          result.form_pairs.emplace_back(std::move(name), std::move(value));
        }
      }
      if (auto status = SetFieldsFromPairs(target, result.form_pairs); !status.ok()) return status;
    } else if (media_type == kJson || media_type.empty()) {
      if (auto status = ParseJsonBody(request.body, target); !status.ok()) return status;
    } else {
      *unsupported_media_type = true;
      return InvalidFields({{"body", "must be application/json or a form"}});
    }
  }

  if (route.body != "*") {
    FormPairs query = ParseUrlEncoded(SplitTarget(request.target).second);
    if (!route.body.empty()) {
      // Fields inside the body come from the body only.
      std::erase_if(query, [&](const auto& pair) {
        const std::string path = CanonicalFieldPath(message->GetDescriptor(), pair.first);
        return path == route.body || absl::StartsWith(path, absl::StrCat(route.body, "."));
      });
    }
    if (auto status = SetFieldsFromPairs(message, query); !status.ok()) return status;
  }

  FormPairs bindings;
  for (const PathBinding& binding : match.bindings) {
    bindings.emplace_back(binding.field_path, binding.value);
  }
  return SetFieldsFromPairs(message, bindings);
}

absl::StatusOr<std::string> ResponseJson(const Message& response) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(response, &json, options);
  if (!status.ok()) return absl::InternalError("response cannot be printed as JSON");
  return json;
}

}  // namespace carebridge::gateway
