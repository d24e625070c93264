#include "gateway/field_setter.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"

namespace carebridge::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::string_view ToAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t length = 0;
    uint32_t code_point = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      length = 2;
      code_point = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      code_point = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      code_point = c & 0x07;
    } else {
      return false;
    }
    if (i + length > s.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    const uint32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < min_for_length[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

const google::protobuf::EnumValueDescriptor* ParseEnum(const google::protobuf::EnumDescriptor* type,
                                                       std::string_view text) {
  for (int i = 0; i < type->value_count(); ++i) {
    const auto* value = type->value(i);
    if (absl::EqualsIgnoreCase(value->name(), ToAbsl(text))) return value;
  }
  int number = 0;
  if (absl::SimpleAtoi(ToAbsl(text), &number)) return type->FindValueByNumber(number);
  return nullptr;
}

std::string EnumChoices(const google::protobuf::EnumDescriptor* type) {
  std::vector<std::string> names;
  for (int i = 0; i < type->value_count(); ++i) {
    // The zero value means "not given"; a form leaves the field empty for that.
    if (type->value(i)->number() != 0) names.push_back(type->value(i)->name());
  }
  return absl::StrJoin(names, ", ");
}

// A message-typed leaf from its proto3 JSON string form, e.g. a Timestamp from
// "2026-01-02T03:04:05Z". The JSON string literal is produced by protobuf, not by hand.
bool ParseMessageFromText(std::string_view text, Message* message) {
  google::protobuf::Value value;
  value.set_string_value(std::string(text));
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(value, &json).ok()) return false;
  return google::protobuf::util::JsonStringToMessage(json, message).ok();
}

// Parses `text` into field `field` of `message`; returns a description of what is wrong, or "".
std::string SetLeaf(Message* message, const FieldDescriptor* field, std::string_view raw) {
  const Reflection* reflection = message->GetReflection();
  const bool repeated = field->is_repeated();
  // Strings are kept as typed (the service trims them); other types ignore surrounding blanks.
  std::string_view text = raw;
  if (field->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    const absl::string_view stripped = absl::StripAsciiWhitespace(ToAbsl(raw));
    text = std::string_view(stripped.data(), stripped.size());
    if (text.empty()) return "";  // blank is "not given", like an empty input
  }
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      if (field->type() == FieldDescriptor::TYPE_STRING && !IsValidUtf8(text)) {
        return "must be valid UTF-8 text";
      }
      repeated ? reflection->AddString(message, field, std::string(text))
               : reflection->SetString(message, field, std::string(text));
      return "";
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v = 0;
      if (!absl::SimpleAtoi(ToAbsl(text), &v)) return "must be a whole number";
      repeated ? reflection->AddInt32(message, field, v) : reflection->SetInt32(message, field, v);
      return "";
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v = 0;
      if (!absl::SimpleAtoi(ToAbsl(text), &v)) return "must be a whole number";
      repeated ? reflection->AddInt64(message, field, v) : reflection->SetInt64(message, field, v);
      return "";
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v = 0;
      if (!absl::SimpleAtoi(ToAbsl(text), &v)) return "must be a whole number, 0 or more";
      repeated ? reflection->AddUInt32(message, field, v)
               : reflection->SetUInt32(message, field, v);
      return "";
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v = 0;
      if (!absl::SimpleAtoi(ToAbsl(text), &v)) return "must be a whole number, 0 or more";
      repeated ? reflection->AddUInt64(message, field, v)
               : reflection->SetUInt64(message, field, v);
      return "";
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      double v = 0;
      if (!absl::SimpleAtod(ToAbsl(text), &v) || !std::isfinite(v)) return "must be a number";
      repeated ? reflection->AddDouble(message, field, v)
               : reflection->SetDouble(message, field, v);
      return "";
    }
    case FieldDescriptor::CPPTYPE_FLOAT: {
      float v = 0;
      if (!absl::SimpleAtof(ToAbsl(text), &v) || !std::isfinite(v)) return "must be a number";
      repeated ? reflection->AddFloat(message, field, v) : reflection->SetFloat(message, field, v);
      return "";
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      const std::optional<bool> v = ParseBoolText(text);
      if (!v.has_value()) return "must be true or false";
      repeated ? reflection->AddBool(message, field, *v) : reflection->SetBool(message, field, *v);
      return "";
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* v = ParseEnum(field->enum_type(), text);
      if (v == nullptr) return "must be one of " + EnumChoices(field->enum_type());
      repeated ? reflection->AddEnum(message, field, v) : reflection->SetEnum(message, field, v);
      return "";
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      std::unique_ptr<Message> parsed(
          reflection->GetMessageFactory()->GetPrototype(field->message_type())->New());
      if (!ParseMessageFromText(text, parsed.get())) return "has an invalid value";
      Message* target = repeated ? reflection->AddMessage(message, field)
                                 : reflection->MutableMessage(message, field);
      target->CopyFrom(*parsed);
      return "";
    }
  }
  return "has an invalid value";
}

}  // namespace

std::optional<bool> ParseBoolText(std::string_view text) {
  const std::string lower = absl::AsciiStrToLower(ToAbsl(text));
  if (lower == "true" || lower == "on" || lower == "1" || lower == "yes") return true;
  if (lower == "false" || lower == "off" || lower == "0" || lower == "no") return false;
  return std::nullopt;
}

const FieldDescriptor* FindFieldByAnyName(const Descriptor* descriptor, std::string_view name) {
  const std::string key(name);
  if (const auto* field = descriptor->FindFieldByName(key); field != nullptr) return field;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    if (descriptor->field(i)->json_name() == key) return descriptor->field(i);
  }
  return nullptr;
}

std::string CanonicalFieldPath(const Descriptor* descriptor, std::string_view path) {
  std::vector<std::string> parts;
  for (absl::string_view part : absl::StrSplit(ToAbsl(path), '.')) {
    if (descriptor == nullptr) return "";
    const FieldDescriptor* field =
        FindFieldByAnyName(descriptor, std::string_view(part.data(), part.size()));
    if (field == nullptr) return "";
    parts.push_back(field->name());
    descriptor = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !field->is_repeated()
                     ? field->message_type()
                     : nullptr;
  }
  return absl::StrJoin(parts, ".");
}

absl::Status SetFieldFromText(Message* message, std::string_view path, std::string_view value) {
  if (value.empty()) return absl::OkStatus();
  // Resolve the whole path first, so that an unknown name creates no empty sub-messages.
  std::vector<const FieldDescriptor*> fields;
  std::vector<std::string> canonical;
  const Descriptor* descriptor = message->GetDescriptor();
  for (absl::string_view part : absl::StrSplit(ToAbsl(path), '.')) {
    if (descriptor == nullptr) return absl::OkStatus();
    const FieldDescriptor* field =
        FindFieldByAnyName(descriptor, std::string_view(part.data(), part.size()));
    if (field == nullptr || field->is_map()) return absl::OkStatus();
    fields.push_back(field);
    canonical.push_back(field->name());
    descriptor = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !field->is_repeated()
                     ? field->message_type()
                     : nullptr;
  }
  Message* current = message;
  for (size_t i = 0; i + 1 < fields.size(); ++i) {
    current = current->GetReflection()->MutableMessage(current, fields[i]);
  }
  const std::string problem = SetLeaf(current, fields.back(), value);
  if (problem.empty()) return absl::OkStatus();
  return InvalidFields({{absl::StrJoin(canonical, "."), problem}});
}

absl::Status SetFieldsFromPairs(Message* message, const FormPairs& pairs) {
  std::vector<FieldViolation> violations;
  for (const auto& [name, value] : pairs) {
    const absl::Status status = SetFieldFromText(message, name, value);
    if (status.ok()) continue;
    for (FieldViolation& violation : FieldViolationsOf(status)) {
      violations.push_back(std::move(violation));
    }
  }
  return violations.empty() ? absl::OkStatus() : InvalidFields(violations);
}

}  // namespace carebridge::gateway
