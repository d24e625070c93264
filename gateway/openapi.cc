#include "gateway/openapi.h"

#include <set>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/rpc/status.pb.h"

namespace carebridge::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Struct;
using google::protobuf::Value;

Value& Field(Struct* object, const std::string& key) { return (*object->mutable_fields())[key]; }
Struct* Object(Struct* object, const std::string& key) {
  return Field(object, key).mutable_struct_value();
}
void Set(Struct* object, const std::string& key, const std::string& value) {
  Field(object, key).set_string_value(value);
}

std::string SchemaName(const Descriptor* descriptor) { return descriptor->full_name(); }

std::string Ref(const Descriptor* descriptor) {
  return absl::StrCat("#/components/schemas/", SchemaName(descriptor));
}

// Well-known types whose JSON form is a string (with an OpenAPI format where there is one).
bool WellKnownString(const Descriptor* type, std::string* format) {
  const std::string& name = type->full_name();
  if (name == "google.protobuf.Timestamp") {
    *format = "date-time";
    return true;
  }
  return name == "google.protobuf.Duration" || name == "google.protobuf.FieldMask" ||
         name == "google.protobuf.StringValue" || name == "google.protobuf.BytesValue" ||
         name == "google.protobuf.Int64Value" || name == "google.protobuf.UInt64Value";
}

class SchemaBuilder {
 public:
  explicit SchemaBuilder(Struct* schemas) : schemas_(schemas) {}

  // The schema of one value of `field` (ignoring repetition), adding message schemas as needed.
  void ScalarSchema(const FieldDescriptor* field, Struct* schema) {
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        Set(schema, "type", "string");
        if (field->type() == FieldDescriptor::TYPE_BYTES) Set(schema, "format", "byte");
        return;
      case FieldDescriptor::CPPTYPE_INT32:
      case FieldDescriptor::CPPTYPE_UINT32:
        Set(schema, "type", "integer");
        Set(schema, "format", "int32");
        return;
      case FieldDescriptor::CPPTYPE_INT64:
      case FieldDescriptor::CPPTYPE_UINT64:
        Set(schema, "type", "string");  // proto3 JSON writes 64-bit integers as strings
        Set(schema, "format", "int64");
        return;
      case FieldDescriptor::CPPTYPE_DOUBLE:
      case FieldDescriptor::CPPTYPE_FLOAT:
        Set(schema, "type", "number");
        return;
      case FieldDescriptor::CPPTYPE_BOOL:
        Set(schema, "type", "boolean");
        return;
      case FieldDescriptor::CPPTYPE_ENUM: {
        Set(schema, "type", "string");
        auto* values = Field(schema, "enum").mutable_list_value();
        for (int i = 0; i < field->enum_type()->value_count(); ++i) {
          values->add_values()->set_string_value(field->enum_type()->value(i)->name());
        }
        return;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        std::string format;
        if (WellKnownString(field->message_type(), &format)) {
          Set(schema, "type", "string");
          if (!format.empty()) Set(schema, "format", format);
          return;
        }
        Set(schema, "$ref", Ref(field->message_type()));
        Add(field->message_type());
        return;
      }
    }
  }

  void FieldSchema(const FieldDescriptor* field, Struct* schema) {
    if (field->is_map()) {
      Set(schema, "type", "object");
      ScalarSchema(field->message_type()->map_value(), Object(schema, "additionalProperties"));
    } else if (field->is_repeated()) {
      Set(schema, "type", "array");
      ScalarSchema(field, Object(schema, "items"));
    } else {
      ScalarSchema(field, schema);
    }
  }

  // Adds the schema of `message` (and of the messages it uses) unless it is there already.
  void Add(const Descriptor* message) {
    if (!added_.insert(message).second) return;
    Struct* schema = Object(schemas_, SchemaName(message));
    Set(schema, "type", "object");
    if (message->full_name() == "google.protobuf.Struct" ||
        message->full_name() == "google.protobuf.Any") {
      Field(schema, "additionalProperties").set_bool_value(true);
      return;
    }
    Struct* properties = Object(schema, "properties");
    for (int i = 0; i < message->field_count(); ++i) {
      const FieldDescriptor* field = message->field(i);
      FieldSchema(field, Object(properties, field->json_name()));
    }
  }

 private:
  Struct* schemas_;
  std::set<const Descriptor*> added_;
};

// The template as an OpenAPI path: sub-patterns dropped, "{name=shelves/*}" -> "{name}".
std::string OpenApiPath(const std::string& pattern) {
  std::string out;
  bool in_variable = false;
  bool skipping = false;
  for (char c : pattern) {
    if (c == '{') in_variable = true;
    if (c == '}') {
      in_variable = false;
      skipping = false;
    }
    if (in_variable && c == '=') skipping = true;
    if (!skipping) out += c;
  }
  return out;
}

void AddParameter(Struct* operation, const std::string& name, const std::string& in, bool required,
                  const FieldDescriptor* field, SchemaBuilder* builder) {
  auto* parameter =
      Field(operation, "parameters").mutable_list_value()->add_values()->mutable_struct_value();
  Set(parameter, "name", name);
  Set(parameter, "in", in);
  Field(parameter, "required").set_bool_value(required);
  Struct* schema = Object(parameter, "schema");
  if (field == nullptr) {
    Set(schema, "type", "string");
  } else {
    builder->FieldSchema(field, schema);
  }
}

// The field at a dotted path of `message`, or nullptr.
const FieldDescriptor* FieldAt(const Descriptor* message, const std::string& path) {
  const FieldDescriptor* field = nullptr;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (message == nullptr) return nullptr;
    field = message->FindFieldByName(std::string(part));
    if (field == nullptr) return nullptr;
    message = field->message_type();
  }
  return field;
}

}  // namespace

std::string OpenApiJson(const RouteTable& routes) {
  Struct document;
  Set(&document, "openapi", "3.0.3");
  Struct* info = Object(&document, "info");
  Set(info, "title", "CareBridge API");
  Set(info, "version", "v1");
  Struct* paths = Object(&document, "paths");
  Struct* schemas = Object(Object(&document, "components"), "schemas");
  SchemaBuilder builder(schemas);
  builder.Add(google::rpc::Status::descriptor());

  for (const Route& route : routes.routes()) {
    const Descriptor* request = route.method->input_type();
    Struct* operation = Object(Object(paths, OpenApiPath(route.pattern())),
                               absl::AsciiStrToLower(route.http_method));
    Set(operation, "operationId", absl::StrCat(route.service_name, "_", route.method->name()));
    Set(operation, "summary", route.method->full_name());
    Field(operation, "tags")
        .mutable_list_value()
        ->add_values()
        ->set_string_value(route.service_name);

    // Path variables, named as in the template: "{case_id}" or "{clinic.clinic_id}".
    std::set<std::string> bound;
    const std::string& pattern = route.pattern();
    for (size_t open = pattern.find('{'); open != std::string::npos;
         open = pattern.find('{', open + 1)) {
      const std::string name =
          pattern.substr(open + 1, pattern.find_first_of("=}", open) - open - 1);
      bound.insert(name.substr(0, name.find('.')));
      AddParameter(operation, name, "path", true, FieldAt(request, name), &builder);
    }
    if (route.body != "*") {
      for (int i = 0; i < request->field_count(); ++i) {
        const FieldDescriptor* field = request->field(i);
        if (bound.count(field->name()) || field->name() == route.body || field->is_map()) continue;
        if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          std::string format;
          if (!WellKnownString(field->message_type(), &format)) continue;
        }
        AddParameter(operation, field->json_name(), "query", false, field, &builder);
      }
    }
    if (!route.body.empty()) {
      Struct* body = Object(operation, "requestBody");
      Field(body, "required").set_bool_value(true);
      const Descriptor* body_type =
          route.body == "*" ? request : request->FindFieldByName(route.body)->message_type();
      builder.Add(body_type);
      Struct* content = Object(body, "content");
      Set(Object(Object(content, "application/json"), "schema"), "$ref", Ref(body_type));
      if (route.http_method == "POST") {
        Set(Object(Object(content, "application/x-www-form-urlencoded"), "schema"), "$ref",
            Ref(body_type));
      }
    }
    builder.Add(route.method->output_type());
    Struct* responses = Object(operation, "responses");
    const bool creates =
        route.http_method == "POST" && absl::StartsWith(route.method->name(), "Create");
    Struct* success = Object(responses, creates ? "201" : "200");
    Set(success, "description", "OK");
    Set(Object(Object(Object(success, "content"), "application/json"), "schema"), "$ref",
        Ref(route.method->output_type()));
    Struct* error = Object(responses, "default");
    Set(error, "description", "Error: google.rpc.Status with details (API.md, Errors)");
    Set(Object(Object(Object(error, "content"), "application/json"), "schema"), "$ref",
        Ref(google::rpc::Status::descriptor()));
  }

  std::string json;
  (void)google::protobuf::util::MessageToJsonString(document, &json);
  return json;
}

}  // namespace carebridge::gateway
