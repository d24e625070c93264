// The catalog's public routes end to end: carebridge-gateway in front of carebridge-catalog, with
// a private PostgreSQL and Redis. GET /v1/clinics (filters as query parameters, keyset paging),
// GET /v1/clinics/{clinicId}, GET /v1/countries, and the JSON error bodies; the admin routes refuse
// anonymous callers.
#include <fstream>
#include <sstream>
#include <thread>

#include <gmock/gmock.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "carebridge/v1/catalog.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "tests/harness/child_process.h"
#include "tests/harness/http_client.h"
#include "tests/harness/net.h"
#include "tests/harness/postgres_server.h"
#include "tests/harness/redis_server.h"
#include "tests/harness/test_env.h"

namespace carebridge {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::ChildProcess;
using ::testing::HasSubstr;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::NumberAfter;
using testing::PostgresServer;
using testing::RedisServer;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

template <typename T>
T Parse(const HttpResponse& response) {
  T message;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(response.body, &message, options);
  EXPECT_TRUE(status.ok()) << status << ": " << response.body;
  return message;
}

std::vector<std::string> ViolatedFields(const HttpResponse& response) {
  const auto status = Parse<google::rpc::Status>(response);
  std::vector<std::string> fields;
  for (const auto& any : status.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& v : bad_request.field_violations()) fields.push_back(v.field());
  }
  return fields;
}

class CatalogGatewayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pg = PostgresServer::Start();
    ASSERT_TRUE(pg.ok()) << pg.status();
    pg_ = pg->release();
    auto redis = RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = redis->release();
    const std::string dir = testing::TempDir();

    const int catalog_port = testing::FreePort();
    const std::string catalog_log = dir + "/catalog.log";
    auto catalog = ChildProcess::Spawn(
        CAREBRIDGE_CATALOG_BIN, {},
        {{"CAREBRIDGE_PG_URI", pg_->uri()},
         {"CAREBRIDGE_REDIS_ADDR", redis_->address()},
         {"CAREBRIDGE_CATALOG_LISTEN", "127.0.0.1:" + std::to_string(catalog_port)}},
        catalog_log);
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = catalog->release();
    ASSERT_TRUE(testing::WaitForTcpPort(catalog_port, seconds(30)).ok())
        << testing::ReadFileTail(catalog_log);

    const std::string gateway_log = dir + "/gateway.log";
    auto gateway = ChildProcess::Spawn(
        CAREBRIDGE_GATEWAY_BIN, {},
        {{"CAREBRIDGE_GATEWAY_LISTEN", "127.0.0.1:0"},
         {"CAREBRIDGE_CATALOG_ADDR", "127.0.0.1:" + std::to_string(catalog_port)},
         {"CAREBRIDGE_INQUIRIES_ADDR", "none"},
         {"CAREBRIDGE_SCHEDULING_ADDR", "none"},
         {"CAREBRIDGE_FOLLOWUPS_ADDR", "none"},
         {"CAREBRIDGE_REDIS_ADDR", redis_->address()}},
        gateway_log);
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = gateway->release();
    const auto deadline = std::chrono::steady_clock::now() + seconds(15);
    std::string port;
    std::string log;
    while (std::chrono::steady_clock::now() < deadline) {
      log = ReadFile(gateway_log);
      port = NumberAfter(log, "event=gateway_listening port=");
      if (!port.empty()) break;
      ASSERT_TRUE(gateway_->Running()) << "gateway exited: " << log;
      std::this_thread::sleep_for(milliseconds(20));
    }
    ASSERT_FALSE(port.empty()) << "gateway did not report its port: " << log;
    base_url_ = new std::string("http://127.0.0.1:" + port);
  }

  static void TearDownTestSuite() {
    delete gateway_;
    delete catalog_;
    delete redis_;
    delete pg_;
    delete base_url_;
  }

  void SetUp() override { ASSERT_NE(base_url_, nullptr); }

  static HttpResponse Get(const std::string& path) { return HttpRequest("GET", *base_url_ + path); }

  static PostgresServer* pg_;
  static RedisServer* redis_;
  static ChildProcess* catalog_;
  static ChildProcess* gateway_;
  static std::string* base_url_;
};

PostgresServer* CatalogGatewayTest::pg_ = nullptr;
RedisServer* CatalogGatewayTest::redis_ = nullptr;
ChildProcess* CatalogGatewayTest::catalog_ = nullptr;
ChildProcess* CatalogGatewayTest::gateway_ = nullptr;
std::string* CatalogGatewayTest::base_url_ = nullptr;

TEST_F(CatalogGatewayTest, SearchTakesItsFiltersAsQueryParameters) {
  const HttpResponse response =
      Get("/v1/clinics?condition=stroke&country=JP&cellSource=ALLOGENEIC&route=INTRAVENOUS&"
          "maxPriceUsd=40000&language=en&interpreter=true");
  ASSERT_EQ(response.status, 200) << response.error << response.body;
  EXPECT_THAT(response.headers.at("content-type"), HasSubstr("application/json"));
  const auto parsed = Parse<v1::SearchClinicsResponse>(response);
  std::vector<std::string> names;
  for (const auto& c : parsed.clinics()) names.push_back(c.name());
  EXPECT_THAT(names,
              ::testing::ElementsAre("Hoshizora Regenerative Clinic", "Odori Park Cell Clinic",
                                     "Shonan Coast Regenerative Clinic"));
  EXPECT_THAT(response.body, HasSubstr("\"clinicId\""));
  EXPECT_THAT(response.body, HasSubstr("\"priceUsdMin\""));
  EXPECT_THAT(response.body, HasSubstr("\"INTRAVENOUS\""));
  EXPECT_THAT(response.body, ::testing::Not(HasSubstr("contact")));
}

TEST_F(CatalogGatewayTest, PagesFollowNextPageToken) {
  std::vector<std::string> ids;
  std::string token;
  int pages = 0;
  do {
    const HttpResponse response =
        Get("/v1/clinics?pageSize=4" + (token.empty() ? "" : "&pageToken=" + token));
    ASSERT_EQ(response.status, 200) << response.body;
    const auto page = Parse<v1::SearchClinicsResponse>(response);
    for (const auto& c : page.clinics()) ids.push_back(c.clinic_id());
    token = page.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(pages, 4);
  EXPECT_EQ(ids.size(), 14u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
}

TEST_F(CatalogGatewayTest, OneClinicWithLicenceAndProtocols) {
  const HttpResponse response = Get("/v1/clinics/c1000000-0000-4000-8000-000000000001");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto clinic = Parse<v1::Clinic>(response);
  EXPECT_EQ(clinic.name(), "Hoshizora Regenerative Clinic");
  EXPECT_EQ(clinic.license().authority(), "MHLW");
  EXPECT_EQ(clinic.time_zone(), "Asia/Tokyo");
  EXPECT_EQ(clinic.protocols_size(), 2);
  EXPECT_THAT(response.body, HasSubstr("\"expiresAt\":\"2029-08-31T14:59:59Z\""));

  // Expired licence: not found; not an id: a field error.
  EXPECT_EQ(Get("/v1/clinics/c1000000-0000-4000-8000-000000000008").status, 404);
  const HttpResponse bad = Get("/v1/clinics/not-an-id");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(ViolatedFields(bad), ::testing::ElementsAre("clinic_id"));
}

TEST_F(CatalogGatewayTest, CountriesCompareCostAndRegulation) {
  const HttpResponse response = Get("/v1/countries");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto parsed = Parse<v1::ListCountriesResponse>(response);
  ASSERT_EQ(parsed.countries_size(), 4);
  EXPECT_EQ(parsed.countries(0).code(), "JP");
  EXPECT_EQ(parsed.countries(1).code(), "US");
  EXPECT_TRUE(parsed.countries(1).cost_usd_max_open_ended());
  EXPECT_THAT(response.body, HasSubstr("\"costUsdMin\""));
  EXPECT_THAT(response.body, HasSubstr("\"regulatoryLevel\":\"REGULATORY_LEVEL_HIGH\""));
}

TEST_F(CatalogGatewayTest, BadQueriesAreFieldErrors) {
  HttpResponse response = Get("/v1/clinics?country=Japan&pageSize=-1");
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_THAT(ViolatedFields(response), ::testing::ElementsAre("country", "page_size"));
  response = Get("/v1/clinics?pageToken=garbage");
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(ViolatedFields(response), ::testing::ElementsAre("page_token"));
  response = Get("/v1/clinics?cellSource=PLACENTAL");
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(ViolatedFields(response), ::testing::ElementsAre("cell_source"));
}

TEST_F(CatalogGatewayTest, PublicPathsTakeNoWritesAndAdminRoutesNeedCredentials) {
  EXPECT_EQ(HttpRequest("POST", *base_url_ + "/v1/clinics", "{\"name\":\"x\"}",
                        {"Content-Type: application/json"})
                    .status /
                100,
            4);
  EXPECT_EQ(HttpRequest("PATCH", *base_url_ + "/v1/clinics/c1000000-0000-4000-8000-000000000001",
                        "{}", {"Content-Type: application/json"})
                    .status /
                100,
            4);
  // The admin routes exist, and the service refuses an anonymous caller (the authorization
  // matrix in tests/cases checks every caller).
  const HttpResponse admin = HttpRequest(
      "PATCH", *base_url_ + "/v1/admin/clinics/c1000000-0000-4000-8000-000000000001",
      R"({"clinic":{"name":"x"},"updateMask":"name"})", {"Content-Type: application/json"});
  EXPECT_EQ(admin.status, 401) << admin.body;
  EXPECT_EQ(HttpRequest("GET", *base_url_ + "/v1/admin/clinics").status, 401);
}

}  // namespace
}  // namespace carebridge
