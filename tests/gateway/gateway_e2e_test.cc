// The gateway end to end, as the website and partners use it: carebridge-gateway in front of
// carebridge-inquiries, with a private PostgreSQL and Redis. JSON and browser form posts, field
// errors, limits, rate limiting, and recovery from backend and database outages without restarts.
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "carebridge/v1/inquiries.pb.h"
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
using std::chrono::steady_clock;
using testing::ChildProcess;
using ::testing::HasSubstr;
using testing::HttpRequest;
using testing::HttpResponse;
using ::testing::Not;
using testing::PostgresServer;
using testing::RedisServer;
using ::testing::StartsWith;

constexpr char kJson[] = "Content-Type: application/json";
constexpr char kForm[] = "Content-Type: application/x-www-form-urlencoded";
constexpr char kBrowserAccept[] =
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

// True for a case reference: CB-<4 digits>-<6 digits>. (std::regex trips GCC 12's
// -Wmaybe-uninitialized in sanitizer builds, so the pattern is checked by hand.)
bool IsReference(std::string_view text) {
  if (text.size() != 14 || text.substr(0, 3) != "CB-" || text[7] != '-') return false;
  for (size_t i : {3, 4, 5, 6, 8, 9, 10, 11, 12, 13}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

// The first case reference in `text`, or "".
std::string FindReference(std::string_view text) {
  for (size_t pos = text.find("CB-"); pos != std::string_view::npos;
       pos = text.find("CB-", pos + 1)) {
    if (IsReference(text.substr(pos, 14))) return std::string(text.substr(pos, 14));
  }
  return "";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string ValidInquiryJson(const std::string& name = "Ann Example") {
  return R"({"fullName":")" + name +
         R"(","email":"ann@example.com","phone":"+819012345678","countryOfResidence":"DE",)"
         R"("condition":"stroke","strokeType":"ISCHAEMIC","monthsSinceEvent":14,"mrsScore":3,)"
         R"("cellSource":"AUTOLOGOUS","contactConsent":true,"privacyPolicyVersion":"2026-01"})";
}

std::string ValidInquiryForm() {
  return "full_name=Hanako+Example&email=hanako%40example.jp&condition=stroke&"
         "stroke_type=HAEMORRHAGIC&mrs_score=4&cell_source=ALLOGENEIC&needs_interpreter=true&"
         "message=Is+treatment+in+Japan+possible%3F&contact_consent=true&"
         "privacy_policy_version=2026-01&website=&utm_source=guide";
}

v1::CreateInquiryResponse ParseCreated(const HttpResponse& response) {
  v1::CreateInquiryResponse created;
  const auto status = google::protobuf::util::JsonStringToMessage(response.body, &created);
  EXPECT_TRUE(status.ok()) << status << ": " << response.body;
  return created;
}

// The JSON error body as a google.rpc.Status, and the fields its BadRequest details name.
std::vector<std::string> ViolatedFields(const HttpResponse& response, google::rpc::Status* out) {
  const auto status = google::protobuf::util::JsonStringToMessage(response.body, out);
  EXPECT_TRUE(status.ok()) << status << ": " << response.body;
  std::vector<std::string> fields;
  for (const auto& any : out->details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& v : bad_request.field_violations()) fields.push_back(v.field());
  }
  return fields;
}

class GatewayE2eTest : public ::testing::Test {
 protected:
  GatewayE2eTest() {
    auto pg = PostgresServer::Start();
    if (!pg.ok()) ADD_FAILURE() << pg.status();
    pg_ = *std::move(pg);
    auto redis = RedisServer::Start();
    if (!redis.ok()) ADD_FAILURE() << redis.status();
    redis_ = *std::move(redis);
    dir_ = testing::TempDir();
    inquiries_port_ = testing::FreePort();
  }

  void SetUp() override {
    ASSERT_NE(pg_, nullptr);
    ASSERT_NE(redis_, nullptr);
    StartInquiries();
    StartGateway();
  }

  void StartInquiries() {
    const std::string log = dir_ + "/inquiries.log";
    auto child = ChildProcess::Spawn(
        CAREBRIDGE_INQUIRIES_BIN, {},
        {{"CAREBRIDGE_PG_URI", pg_->uri()},
         {"CAREBRIDGE_REDIS_ADDR", redis_->address()},
         {"CAREBRIDGE_INQUIRIES_LISTEN", "127.0.0.1:" + std::to_string(inquiries_port_)}},
        log);
    ASSERT_TRUE(child.ok()) << child.status();
    inquiries_ = *std::move(child);
    ASSERT_TRUE(testing::WaitForTcpPort(inquiries_port_, seconds(30)).ok())
        << testing::ReadFileTail(log);
  }

  // Starts the gateway on port 0 and reads the bound port from its log.
  void StartGateway(std::vector<std::pair<std::string, std::string>> extra_env = {}) {
    gateway_log_ = dir_ + "/gateway-" + std::to_string(++gateway_starts_) + ".log";
    std::vector<std::pair<std::string, std::string>> env = {
        {"CAREBRIDGE_GATEWAY_LISTEN", "127.0.0.1:0"},
        {"CAREBRIDGE_INQUIRIES_ADDR", "127.0.0.1:" + std::to_string(inquiries_port_)},
        {"CAREBRIDGE_CATALOG_ADDR", "none"},
        {"CAREBRIDGE_SCHEDULING_ADDR", "none"},
        {"CAREBRIDGE_FOLLOWUPS_ADDR", "none"},
        {"CAREBRIDGE_REDIS_ADDR", redis_->address()},
    };
    env.insert(env.end(), extra_env.begin(), extra_env.end());
    auto child = ChildProcess::Spawn(CAREBRIDGE_GATEWAY_BIN, {}, env, gateway_log_);
    ASSERT_TRUE(child.ok()) << child.status();
    gateway_ = *std::move(child);
    constexpr std::string_view kListening = "event=gateway_listening port=";
    const auto deadline = steady_clock::now() + seconds(15);
    std::string log;
    std::string port;
    while (steady_clock::now() < deadline) {
      log = ReadFile(gateway_log_);
      if (const size_t at = log.find(kListening); at != std::string::npos) {
        const size_t start = at + kListening.size();
        port = log.substr(start, log.find_first_not_of("0123456789", start) - start);
        break;
      }
      ASSERT_TRUE(gateway_->Running()) << "gateway exited: " << log;
      std::this_thread::sleep_for(milliseconds(20));
    }
    ASSERT_FALSE(port.empty()) << "gateway did not report its port: " << log;
    base_url_ = "http://127.0.0.1:" + port;
  }

  HttpResponse Post(const std::string& path, const std::string& body,
                    const std::vector<std::string>& headers) {
    return HttpRequest("POST", base_url_ + path, body, headers);
  }
  HttpResponse Get(const std::string& path, const std::vector<std::string>& headers = {}) {
    return HttpRequest("GET", base_url_ + path, "", headers);
  }

  std::unique_ptr<PostgresServer> pg_;
  std::unique_ptr<RedisServer> redis_;
  std::string dir_;
  int inquiries_port_ = 0;
  std::unique_ptr<ChildProcess> inquiries_;
  std::unique_ptr<ChildProcess> gateway_;
  std::string gateway_log_;
  int gateway_starts_ = 0;
  std::string base_url_;
};

TEST_F(GatewayE2eTest, JsonPostCreatesAnInquiry) {
  const HttpResponse response =
      Post("/v1/inquiries", ValidInquiryJson(), {kJson, "X-Request-Id: e2e-json-1"});
  ASSERT_EQ(response.status, 201) << response.error << response.body;
  const v1::CreateInquiryResponse created = ParseCreated(response);
  EXPECT_FALSE(created.case_id().empty());
  EXPECT_TRUE(IsReference(created.reference())) << created.reference();
  EXPECT_EQ(created.stage(), v1::NEW);
  EXPECT_THAT(response.body, HasSubstr("\"caseId\""));
  EXPECT_THAT(response.headers.at("content-type"), StartsWith("application/json"));
  EXPECT_EQ(response.headers.at("x-request-id"), "e2e-json-1");
  EXPECT_EQ(response.headers.at("cache-control"), "no-store");
  EXPECT_EQ(response.headers.at("x-content-type-options"), "nosniff");
  EXPECT_EQ(response.headers.at("referrer-policy"), "same-origin");
  EXPECT_THAT(response.headers.at("content-security-policy"),
              HasSubstr("default-src 'self'; form-action 'self'; frame-ancestors 'none'"));
}

TEST_F(GatewayE2eTest, IdempotencyKeyHeaderReplaysTheFirstReply) {
  const HttpResponse first =
      Post("/v1/inquiries", ValidInquiryJson(), {kJson, "Idempotency-Key: e2e-key-1"});
  const HttpResponse second =
      Post("/v1/inquiries", ValidInquiryJson(), {kJson, "Idempotency-Key: e2e-key-1"});
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(ParseCreated(first).reference(), ParseCreated(second).reference());
}

TEST_F(GatewayE2eTest, BrowserFormPostGetsAThankYouPageWithTheReference) {
  const HttpResponse response = Post(
      "/v1/inquiries", ValidInquiryForm() + "&idempotency_key=form-key-1", {kForm, kBrowserAccept});
  ASSERT_EQ(response.status, 201) << response.error << response.body;
  EXPECT_THAT(response.headers.at("content-type"), StartsWith("text/html"));
  const std::string reference = FindReference(response.body);
  ASSERT_FALSE(reference.empty()) << response.body;
  EXPECT_THAT(response.body, HasSubstr("<strong>" + reference + "</strong>"));
  EXPECT_THAT(response.body, HasSubstr("What happens next"));
  // Sending the same form twice (the idempotency key is a hidden input) gives the same case.
  const HttpResponse again = Post(
      "/v1/inquiries", ValidInquiryForm() + "&idempotency_key=form-key-1", {kForm, kBrowserAccept});
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_THAT(again.body, HasSubstr("<strong>" + reference + "</strong>"));
}

TEST_F(GatewayE2eTest, FormPostWithoutHtmlAcceptGetsJson) {
  const HttpResponse response = Post("/v1/inquiries", ValidInquiryForm(), {kForm});
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_THAT(response.headers.at("content-type"), StartsWith("application/json"));
  EXPECT_TRUE(IsReference(ParseCreated(response).reference()));
}

TEST_F(GatewayE2eTest, InvalidJsonFieldsAre400WithAViolationPerField) {
  const HttpResponse response =
      Post("/v1/inquiries",
           R"({"fullName":"Ann","email":"not-an-email","mrsScore":9,"contactConsent":true,)"
           R"("privacyPolicyVersion":"2026-01"})",
           {kJson});
  ASSERT_EQ(response.status, 400) << response.body;
  google::rpc::Status status;
  const std::vector<std::string> fields = ViolatedFields(response, &status);
  EXPECT_EQ(status.code(), 3);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("email", "mrs_score"));

  // A value the gateway cannot even convert is named the same way.
  const HttpResponse unconvertible =
      Post("/v1/inquiries", R"({"fullName":"Ann","patientAge":"old"})", {kJson});
  ASSERT_EQ(unconvertible.status, 400) << unconvertible.body;
  EXPECT_THAT(ViolatedFields(unconvertible, &status), ::testing::ElementsAre("patient_age"));
}

TEST_F(GatewayE2eTest, InvalidFormIsShownAgainWithValuesKeptAndErrorsMarked) {
  const HttpResponse response =
      Post("/v1/inquiries",
           "full_name=%3Cscript%3Ealert(1)%3C%2Fscript%3E&email=not-an-email&mrs_score=9&"
           "message=keep+me&contact_consent=true&privacy_policy_version=2026-01",
           {kForm, kBrowserAccept});
  ASSERT_EQ(response.status, 400) << response.body;
  EXPECT_THAT(response.headers.at("content-type"), StartsWith("text/html"));
  const std::string& page = response.body;
  EXPECT_THAT(page, Not(HasSubstr("<script>alert(1)")));
  EXPECT_THAT(page, HasSubstr("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""));
  EXPECT_THAT(page, HasSubstr("value=\"not-an-email\" aria-invalid=\"true\""));
  EXPECT_THAT(page, HasSubstr("<a href=\"#email\">"));
  EXPECT_THAT(page, HasSubstr("<a href=\"#mrs_score\">"));
  EXPECT_THAT(page, HasSubstr("id=\"mrs_score\" name=\"mrs_score\" aria-invalid=\"true\""));
  EXPECT_THAT(page, HasSubstr(">keep me</textarea>"));
  EXPECT_THAT(page, Not(HasSubstr("tabindex=\"-1\" hidden>")));  // the error summary shows

  // The gateway's own conversion errors re-render the form the same way.
  const HttpResponse unconvertible =
      Post("/v1/inquiries", "full_name=Ann&patient_age=sixty", {kForm, kBrowserAccept});
  ASSERT_EQ(unconvertible.status, 400) << unconvertible.body;
  EXPECT_THAT(unconvertible.body, HasSubstr("value=\"sixty\" aria-invalid=\"true\""));
  EXPECT_THAT(unconvertible.body, HasSubstr("value=\"Ann\""));
}

TEST_F(GatewayE2eTest, BodyOverTheLimitIs413) {
  const std::string big = R"({"fullName":"Ann","message":")" + std::string(70000, 'x') + "\"}";
  const HttpResponse response = Post("/v1/inquiries", big, {kJson});
  ASSERT_EQ(response.status, 413) << response.error;
  google::rpc::Status status;
  EXPECT_THAT(ViolatedFields(response, &status), ::testing::ElementsAre("body"));
  // The gateway is still serving.
  EXPECT_EQ(Get("/healthz").status, 200);
}

TEST_F(GatewayE2eTest, RateLimitAnswers429WithRetryAfter) {
  ASSERT_EQ(gateway_->Terminate(), 0);
  StartGateway({{"CAREBRIDGE_RATE_LIMIT_PER_MINUTE", "3"}});
  for (int i = 0; i < 3; ++i) {
    const HttpResponse response = Post("/v1/inquiries", ValidInquiryJson(), {kJson});
    ASSERT_EQ(response.status, 201) << i << ": " << response.body;
  }
  const HttpResponse limited = Post("/v1/inquiries", ValidInquiryJson(), {kJson});
  ASSERT_EQ(limited.status, 429) << limited.body;
  const int retry_after = std::stoi(limited.headers.at("retry-after"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 60);
  google::rpc::Status status;
  ViolatedFields(limited, &status);
  EXPECT_EQ(status.code(), 8);
  // Other routes are not limited.
  EXPECT_EQ(Get("/").status, 200);
}

TEST_F(GatewayE2eTest, BackendRestartIsServedAgainWithoutRestartingTheGateway) {
  ASSERT_EQ(Post("/v1/inquiries", ValidInquiryJson(), {kJson}).status, 201);
  ASSERT_EQ(inquiries_->Terminate(), 0);
  const HttpResponse down = Post("/v1/inquiries", ValidInquiryJson(), {kJson});
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_EQ(down.headers.count("retry-after"), 1u);
  EXPECT_THAT(down.body, Not(HasSubstr(std::to_string(inquiries_port_))));  // no internals
  EXPECT_EQ(Get("/readyz").status, 503);

  StartInquiries();
  long status = 0;
  const auto deadline = steady_clock::now() + seconds(10);
  while (steady_clock::now() < deadline) {
    status = Post("/v1/inquiries", ValidInquiryJson(), {kJson}).status;
    if (status == 201) break;
    ASSERT_EQ(status, 503);
    std::this_thread::sleep_for(milliseconds(100));
  }
  EXPECT_EQ(status, 201);
  EXPECT_EQ(Get("/readyz").status, 200);
  EXPECT_TRUE(gateway_->Running());
}

TEST_F(GatewayE2eTest, DatabaseOutageIs503QuicklyThenRecoversWithoutRestarts) {
  ASSERT_EQ(Post("/v1/inquiries", ValidInquiryJson(), {kJson}).status, 201);
  ASSERT_TRUE(pg_->Stop().ok());
  const auto start = steady_clock::now();
  const HttpResponse down = Post("/v1/inquiries", ValidInquiryJson(), {kJson});
  EXPECT_LT(steady_clock::now() - start, seconds(2));
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_EQ(down.headers.count("retry-after"), 1u);
  google::rpc::Status error;
  ViolatedFields(down, &error);
  EXPECT_EQ(error.code(), 14);

  ASSERT_TRUE(pg_->Restart().ok());
  long status = 0;
  const auto deadline = steady_clock::now() + seconds(20);
  while (steady_clock::now() < deadline) {
    status = Post("/v1/inquiries", ValidInquiryJson(), {kJson}).status;
    if (status == 201) break;
    ASSERT_EQ(status, 503);
    std::this_thread::sleep_for(milliseconds(200));
  }
  EXPECT_EQ(status, 201);
  EXPECT_TRUE(gateway_->Running());
  EXPECT_TRUE(inquiries_->Running());
}

TEST_F(GatewayE2eTest, HealthAndReadiness) {
  const HttpResponse health = Get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, R"({"status":"ok"})");
  const HttpResponse ready = Get("/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_THAT(ready.body, HasSubstr("\"inquiries\":\"serving\""));
  EXPECT_THAT(ready.body, HasSubstr("\"redis\":\"ok\""));
  ASSERT_TRUE(redis_->Stop().ok());
  const HttpResponse no_redis = Get("/readyz");
  EXPECT_EQ(no_redis.status, 503);
  EXPECT_THAT(no_redis.body, HasSubstr("\"redis\":\"unavailable\""));
  // Intake does not depend on Redis for rate limiting: it fails open.
  EXPECT_EQ(Post("/v1/inquiries", ValidInquiryJson(), {kJson}).status, 201);
}

TEST_F(GatewayE2eTest, UnknownRoutesAndMethods) {
  const HttpResponse missing = Get("/v1/nothing-here");
  EXPECT_EQ(missing.status, 404);
  google::rpc::Status status;
  ViolatedFields(missing, &status);
  EXPECT_EQ(status.code(), 5);
  const HttpResponse wrong_method = Get("/v1/inquiries");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.headers.at("allow"), "POST");
}

TEST_F(GatewayE2eTest, ServesTheContactFormAndItsStylesheet) {
  const HttpResponse page = Get("/?utm_source=guide&source_page=%2Fstroke");
  ASSERT_EQ(page.status, 200);
  EXPECT_THAT(page.headers.at("content-type"), StartsWith("text/html"));
  EXPECT_THAT(page.body, HasSubstr("<form id=\"contact-form\" action=\"/v1/inquiries\""));
  EXPECT_THAT(page.body, HasSubstr("name=\"utm_source\" value=\"guide\""));
  EXPECT_THAT(page.body, HasSubstr("name=\"source_page\" value=\"/stroke\""));
  EXPECT_THAT(page.headers.at("content-security-policy"), HasSubstr("default-src 'self'"));
  const HttpResponse css = Get("/static/style.css");
  ASSERT_EQ(css.status, 200);
  EXPECT_THAT(css.headers.at("content-type"), StartsWith("text/css"));
  EXPECT_EQ(Get("/static/../contact.html").status, 404);
  EXPECT_EQ(Get("/static/%2e%2e/contact.html").status, 404);
  EXPECT_EQ(Get("/static/contact.html").status, 404);
}

TEST_F(GatewayE2eTest, ServesTheOpenApiDocumentOfTheRoutes) {
  const HttpResponse response = Get("/openapi.json");
  ASSERT_EQ(response.status, 200);
  EXPECT_THAT(response.headers.at("content-type"), StartsWith("application/json"));
  EXPECT_THAT(response.body, HasSubstr("\"/v1/inquiries\""));
  EXPECT_THAT(response.body, HasSubstr("\"operationId\":\"Inquiries_CreateInquiry\""));
}

TEST_F(GatewayE2eTest, MetricsCountRequestsByRouteAndStatus) {
  ASSERT_EQ(Post("/v1/inquiries", ValidInquiryJson(), {kJson}).status, 201);
  const HttpResponse metrics = Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.body, HasSubstr("carebridge_gateway_requests_total{route=\"POST "
                                      "/v1/inquiries\",status=\"201\"} 1"));
  EXPECT_THAT(metrics.body, HasSubstr("carebridge_gateway_request_duration_seconds_count{route="
                                      "\"POST /v1/inquiries\"} 1"));
}

TEST_F(GatewayE2eTest, LogsCarryNoPersonalData) {
  ASSERT_EQ(Post("/v1/inquiries", ValidInquiryJson("Zelda Piicheck"), {kJson}).status, 201);
  ASSERT_EQ(Post("/v1/inquiries", ValidInquiryForm(), {kForm, kBrowserAccept}).status, 201);
  ASSERT_EQ(gateway_->Terminate(), 0);  // SIGTERM: a clean exit
  const std::string log = ReadFile(gateway_log_);
  EXPECT_THAT(log, HasSubstr("event=gateway_stopped"));
  for (const char* pii : {"Zelda", "Piicheck", "ann@example.com", "hanako", "819012345678",
                          "Japan+possible", "Japan possible"}) {
    EXPECT_THAT(log, Not(HasSubstr(pii))) << pii;
  }
}

}  // namespace
}  // namespace carebridge
