// Sets protobuf fields from text, by reflection: form fields, query parameters and path variables.
//
// A name is a field path "a.b" whose parts are proto names ("patient_age") or JSON names
// ("patientAge"). Scalars are parsed from text: strings (valid UTF-8), int32/64, uint32/64, double,
// float, bool ("true/on/1/yes", "false/off/0/no", any case), enums by value name in any case (or by
// number); a message-typed leaf (e.g. google.protobuf.Timestamp) takes its proto3 JSON string form.
// A repeated field gets one element per occurrence. Empty values leave the field unset and unknown
// names are ignored, so a form may carry extra inputs. Thread-compatible (touches only `message`).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "absl/status/status.h"
#include "gateway/url_encoding.h"

namespace carebridge::gateway {

// "true/on/1/yes" -> true, "false/off/0/no" -> false (any case), anything else -> nullopt.
std::optional<bool> ParseBoolText(std::string_view text);

// The field `name` of `descriptor` by proto name or JSON name, or nullptr.
const google::protobuf::FieldDescriptor* FindFieldByAnyName(
    const google::protobuf::Descriptor* descriptor, std::string_view name);

// Resolves `path` in `descriptor` to the proto-name path ("patientAge" -> "patient_age"); "" when
// some part names no field or walks through a non-message field.
std::string CanonicalFieldPath(const google::protobuf::Descriptor* descriptor,
                               std::string_view path);

// Sets the field at `path` of `message` from `value`. OK when set, ignored (unknown name) or left
// unset (empty value); otherwise INVALID_ARGUMENT with a google.rpc.BadRequest field violation
// naming the field by its proto-name path (see services/common/errors.h).
absl::Status SetFieldFromText(google::protobuf::Message* message, std::string_view path,
                              std::string_view value);

// SetFieldFromText for every pair; one INVALID_ARGUMENT lists the violations of all bad pairs.
absl::Status SetFieldsFromPairs(google::protobuf::Message* message, const FormPairs& pairs);

}  // namespace carebridge::gateway
