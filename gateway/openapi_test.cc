#include "gateway/openapi.h"

#include <gmock/gmock.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "gateway/api_services.h"
#include "gateway/testdata/gateway_test.pb.h"

namespace carebridge::gateway {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

// The value at a path of keys in a parsed JSON document; fails the test when absent.
const Value& At(const Struct& root, std::initializer_list<std::string> keys) {
  static const Value kNull;
  const Struct* current = &root;
  const Value* value = nullptr;
  for (const std::string& key : keys) {
    if (current == nullptr || !current->fields().contains(key)) {
      ADD_FAILURE() << "missing key " << key;
      return kNull;
    }
    value = &current->fields().at(key);
    current = value->has_struct_value() ? &value->struct_value() : nullptr;
  }
  return *value;
}

class OpenApiTest : public ::testing::Test {
 protected:
  OpenApiTest() {
    const auto* file = gatewaytest::AllTypes::descriptor()->file();
    auto table = RouteTable::Build(
        {file->FindServiceByName("Clinics"), file->FindServiceByName("Bookings")});
    EXPECT_TRUE(table.ok());
    const std::string json = OpenApiJson(*table);
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &doc_).ok()) << json;
  }
  Struct doc_;
};

TEST_F(OpenApiTest, EveryRouteIsAnOperation) {
  EXPECT_EQ(At(doc_, {"openapi"}).string_value(), "3.0.3");
  EXPECT_EQ(At(doc_, {"paths", "/v1/clinics/{clinic_id}", "get", "operationId"}).string_value(),
            "Clinics_GetClinic");
  EXPECT_EQ(At(doc_, {"paths", "/v1/clinics/{clinic_id}", "delete", "operationId"}).string_value(),
            "Clinics_DeleteClinic");
  EXPECT_EQ(
      At(doc_, {"paths", "/v1/clinics/{clinic.clinic_id}", "put", "operationId"}).string_value(),
      "Clinics_UpdateClinic");
  EXPECT_EQ(
      At(doc_, {"paths", "/v1/bookings/{booking_id}:cancel", "post", "operationId"}).string_value(),
      "Bookings_CancelBooking");
  // Sub-patterns are not part of OpenAPI paths.
  EXPECT_TRUE(doc_.fields().at("paths").struct_value().fields().contains("/v1/files/{name}"));
}

TEST_F(OpenApiTest, PathAndQueryParameters) {
  const auto& get_params =
      At(doc_, {"paths", "/v1/clinics/{clinic_id}", "get", "parameters"}).list_value();
  ASSERT_EQ(get_params.values_size(), 1);
  const Struct& id = get_params.values(0).struct_value();
  EXPECT_EQ(id.fields().at("name").string_value(), "clinic_id");
  EXPECT_EQ(id.fields().at("in").string_value(), "path");
  EXPECT_TRUE(id.fields().at("required").bool_value());

  const auto& list_params = At(doc_, {"paths", "/v1/clinics", "get", "parameters"}).list_value();
  std::vector<std::string> names;
  for (const Value& p : list_params.values()) {
    names.push_back(p.struct_value().fields().at("name").string_value());
    EXPECT_EQ(p.struct_value().fields().at("in").string_value(), "query");
  }
  EXPECT_THAT(names, ::testing::ElementsAre("country", "pageSize", "languages", "maxPriceUsd"));
}

TEST_F(OpenApiTest, BodiesRepliesAndCreateIs201) {
  const Struct& create = At(doc_, {"paths", "/v1/clinics", "post"}).struct_value();
  EXPECT_EQ(
      At(create, {"requestBody", "content", "application/json", "schema", "$ref"}).string_value(),
      "#/components/schemas/carebridge.gatewaytest.Clinic");
  EXPECT_EQ(At(create, {"responses", "201", "content", "application/json", "schema", "$ref"})
                .string_value(),
            "#/components/schemas/carebridge.gatewaytest.Clinic");
  EXPECT_EQ(At(create, {"responses", "default", "content", "application/json", "schema", "$ref"})
                .string_value(),
            "#/components/schemas/google.rpc.Status");
  // The query may set the request's other fields, not the body's.
  const auto& params = At(create, {"parameters"}).list_value();
  ASSERT_EQ(params.values_size(), 1);
  EXPECT_EQ(params.values(0).struct_value().fields().at("name").string_value(), "requestNote");
}

TEST_F(OpenApiTest, SchemasFollowTheProto3JsonMapping) {
  const Struct& props =
      At(doc_, {"components", "schemas", "carebridge.gatewaytest.AllTypes", "properties"})
          .struct_value();
  EXPECT_EQ(At(props, {"i32", "type"}).string_value(), "integer");
  EXPECT_EQ(At(props, {"i64", "type"}).string_value(), "string");
  EXPECT_EQ(At(props, {"i64", "format"}).string_value(), "int64");
  EXPECT_EQ(At(props, {"flag", "type"}).string_value(), "boolean");
  EXPECT_EQ(At(props, {"ratio", "type"}).string_value(), "number");
  EXPECT_EQ(At(props, {"color", "enum"}).list_value().values(1).string_value(), "RED");
  EXPECT_EQ(At(props, {"tags", "items", "type"}).string_value(), "string");
  EXPECT_EQ(At(props, {"when", "format"}).string_value(), "date-time");
  EXPECT_EQ(At(props, {"nested", "$ref"}).string_value(),
            "#/components/schemas/carebridge.gatewaytest.Nested");
  EXPECT_EQ(At(props, {"labels", "additionalProperties", "type"}).string_value(), "string");
  EXPECT_TRUE(props.fields().contains("camelCaseName"));
  EXPECT_EQ(
      At(doc_, {"components", "schemas", "carebridge.gatewaytest.Nested", "type"}).string_value(),
      "object");
}

TEST(OpenApiApiTest, TheApiDocumentHasTheInquiryRoute) {
  auto table = RouteTable::Build(ApiServices());
  ASSERT_TRUE(table.ok());
  Struct doc;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(OpenApiJson(*table), &doc).ok());
  EXPECT_EQ(At(doc, {"paths", "/v1/inquiries", "post", "requestBody", "content",
                     "application/x-www-form-urlencoded", "schema", "$ref"})
                .string_value(),
            "#/components/schemas/carebridge.v1.Inquiry");
}

}  // namespace
}  // namespace carebridge::gateway
