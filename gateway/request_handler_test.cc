// The request handler against an in-process fake of the Inquiries service: metadata forwarding,
// status codes, JSON and HTML replies, and the gateway's own routes.
#include "gateway/request_handler.h"

#include <future>
#include <mutex>

#include <gmock/gmock.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>

#include "carebridge/v1/inquiries.grpc.pb.h"
#include "gateway/api_services.h"
#include "services/common/errors.h"
#include "services/common/request_id.h"

namespace carebridge::gateway {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// Records what it was sent and answers with a scripted status.
class FakeInquiries final : public v1::Inquiries::Service {
 public:
  grpc::Status CreateInquiry(grpc::ServerContext* context, const v1::CreateInquiryRequest* request,
                             v1::CreateInquiryResponse* response) override {
    std::lock_guard<std::mutex> lock(mu);
    last_request = *request;
    metadata.clear();
    for (const auto& [key, value] : context->client_metadata()) {
      metadata[std::string(key.data(), key.size())] = std::string(value.data(), value.size());
    }
    if (!reply.ok()) return reply;
    response->set_case_id("case-1");
    response->set_reference("CB-2026-000042");
    response->set_stage(v1::NEW);
    return grpc::Status::OK;
  }

  std::mutex mu;
  v1::CreateInquiryRequest last_request;
  std::map<std::string, std::string> metadata;
  grpc::Status reply = grpc::Status::OK;
};

class RequestHandlerTest : public ::testing::Test {
 protected:
  RequestHandlerTest() {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&fake_);
    server_ = builder.BuildAndStart();
    auto table = RouteTable::Build(ApiServices());
    EXPECT_TRUE(table.ok());
    routes_ = *std::move(table);
    auto pages = WebPages::Load(CAREBRIDGE_DEFAULT_WEB_DIR, routes_);
    EXPECT_TRUE(pages.ok()) << pages.status();
    pages_ = *std::move(pages);
    backends_ = std::make_unique<BackendPool>(
        std::map<std::string, std::string>{{"Inquiries", "127.0.0.1:" + std::to_string(port)}},
        std::chrono::seconds(5));
    RedisConfig redis_config;
    redis_config.port = 1;  // nothing listens: readiness reports Redis down
    redis_config.connect_timeout = std::chrono::milliseconds(100);
    redis_ = std::make_unique<RedisClient>(redis_config);
    readiness_ =
        std::make_unique<Readiness>(backends_.get(), redis_.get(), std::chrono::seconds(1));
    std::vector<std::string> labels = RequestHandler::OwnRouteLabels();
    labels.push_back("POST /v1/inquiries");
    metrics_ = std::make_unique<Metrics>(labels);
  }

  ~RequestHandlerTest() override { server_->Shutdown(); }

  HttpResponse Send(HttpRequest request, bool trust_forwarded_for = false) {
    RequestHandler handler(&routes_, backends_.get(), nullptr, readiness_.get(), pages_.get(),
                           metrics_.get(), {.trust_forwarded_for = trust_forwarded_for});
    boost::asio::io_context io;
    HttpResponse response;
    bool replied = false;
    handler.Handle(std::move(request), io.get_executor(), [&](HttpResponse r) {
      response = std::move(r);
      replied = true;
    });
    // Run until the reply, which may be posted from a gRPC or blocking thread.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!replied && std::chrono::steady_clock::now() < deadline) {
      io.run_for(std::chrono::milliseconds(20));
      io.restart();
    }
    EXPECT_TRUE(replied);
    return response;
  }

  static HttpRequest Post(std::string body,
                          std::vector<std::pair<std::string, std::string>> headers) {
    HttpRequest request;
    request.method = "POST";
    request.target = "/v1/inquiries";
    request.body = std::move(body);
    request.headers = std::move(headers);
    request.peer_ip = "192.0.2.7";
    return request;
  }

  static std::string Header(const HttpResponse& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
      if (key == name) return value;
    }
    return "";
  }

  FakeInquiries fake_;
  std::unique_ptr<grpc::Server> server_;
  RouteTable routes_;
  std::unique_ptr<WebPages> pages_;
  std::unique_ptr<BackendPool> backends_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<Readiness> readiness_;
  std::unique_ptr<Metrics> metrics_;
};

constexpr char kBrowserAccept[] = "text/html,application/xhtml+xml,*/*;q=0.8";

TEST_F(RequestHandlerTest, JsonCreateIs201AndForwardsTheCallersMetadata) {
  const HttpResponse response =
      Send(Post(R"({"fullName":"Ann"})", {{"content-type", "application/json"},
                                          {"x-request-id", "req-123"},
                                          {"traceparent", "00-abc-def-01"},
                                          {"authorization", "Bearer partner-key"},
                                          {"idempotency-key", "key-1"},
                                          {"cookie", "session=secret"}}));
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"({"caseId":"case-1","reference":"CB-2026-000042","stage":"NEW"})");
  EXPECT_EQ(Header(response, "X-Request-Id"), "req-123");
  EXPECT_EQ(Header(response, "Cache-Control"), "no-store");
  std::lock_guard<std::mutex> lock(fake_.mu);
  EXPECT_EQ(fake_.last_request.inquiry().full_name(), "Ann");
  EXPECT_EQ(fake_.metadata["x-request-id"], "req-123");
  EXPECT_EQ(fake_.metadata["traceparent"], "00-abc-def-01");
  EXPECT_EQ(fake_.metadata["authorization"], "Bearer partner-key");
  EXPECT_EQ(fake_.metadata["idempotency-key"], "key-1");
  EXPECT_EQ(fake_.metadata["x-forwarded-for"], "192.0.2.7");
  EXPECT_EQ(fake_.metadata.count("cookie"), 0u);
}

TEST_F(RequestHandlerTest, UnacceptableRequestIdIsReplaced) {
  const HttpResponse response = Send(
      Post("{}", {{"content-type", "application/json"}, {"x-request-id", "bad id\"with=stuff"}}));
  const std::string id = Header(response, "X-Request-Id");
  EXPECT_TRUE(IsAcceptableRequestId(id));
  EXPECT_NE(id, "bad id\"with=stuff");
  std::lock_guard<std::mutex> lock(fake_.mu);
  EXPECT_EQ(fake_.metadata["x-request-id"], id);
}

TEST_F(RequestHandlerTest, ForwardedForIsTrustedOnlyWhenConfigured) {
  Send(Post("{}",
            {{"content-type", "application/json"}, {"x-forwarded-for", "203.0.113.9, 10.0.0.1"}}));
  {
    std::lock_guard<std::mutex> lock(fake_.mu);
    EXPECT_EQ(fake_.metadata["x-forwarded-for"], "192.0.2.7");
  }
  Send(Post("{}",
            {{"content-type", "application/json"}, {"x-forwarded-for", "203.0.113.9, 10.0.0.1"}}),
       /*trust_forwarded_for=*/true);
  std::lock_guard<std::mutex> lock(fake_.mu);
  EXPECT_EQ(fake_.metadata["x-forwarded-for"], "203.0.113.9");
}

TEST_F(RequestHandlerTest, BrowserFormPostGetsTheThankYouPageAndTheFormKeyAsMetadata) {
  const HttpResponse response = Send(
      Post("full_name=Ann&email=a%40b.jp&idempotency_key=form-key-9",
           {{"content-type", "application/x-www-form-urlencoded"}, {"accept", kBrowserAccept}}));
  EXPECT_EQ(response.status, 201);
  EXPECT_THAT(response.content_type, StartsWith("text/html"));
  EXPECT_THAT(response.body, HasSubstr("<strong>CB-2026-000042</strong>"));
  EXPECT_THAT(Header(response, "Content-Security-Policy"), HasSubstr("frame-ancestors 'none'"));
  std::lock_guard<std::mutex> lock(fake_.mu);
  EXPECT_EQ(fake_.metadata["idempotency-key"], "form-key-9");
  EXPECT_EQ(fake_.last_request.inquiry().email(), "a@b.jp");
}

TEST_F(RequestHandlerTest, BackendFieldErrorsReRenderTheFormForBrowsersAndAreJsonOtherwise) {
  fake_.reply = ToGrpcStatus(InvalidFields({{"email", "must be an email address"}}));
  const HttpResponse page =
      Send(Post("full_name=Ann&email=nope", {{"content-type", "application/x-www-form-urlencoded"},
                                             {"accept", kBrowserAccept}}));
  EXPECT_EQ(page.status, 400);
  EXPECT_THAT(page.body, HasSubstr("value=\"nope\" aria-invalid=\"true\""));
  EXPECT_THAT(page.body, HasSubstr("id=\"email-error\">must be an email address</p>"));
  const HttpResponse json = Send(
      Post("full_name=Ann&email=nope", {{"content-type", "application/x-www-form-urlencoded"}}));
  EXPECT_EQ(json.status, 400);
  EXPECT_THAT(json.body, HasSubstr("\"fieldViolations\":[{\"field\":\"email\""));
}

// The contact form's language: ?lang= first, else Accept-Language; the form's lang input keeps it
// through a re-rendered form and the thank-you page.
TEST_F(RequestHandlerTest, ContactPagesInTheVisitorsLanguage) {
  HttpRequest get;
  get.method = "GET";
  get.target = "/";
  get.headers = {{"accept-language", "ja-JP,ja;q=0.9,en;q=0.8"}};
  const HttpResponse japanese = Send(get);
  EXPECT_THAT(japanese.body, HasSubstr("<html lang=\"ja\">"));
  EXPECT_EQ(Header(japanese, "Vary"), "Accept-Language");
  get.target = "/?lang=en&utm_source=guide";
  EXPECT_THAT(Send(get).body, HasSubstr("<html lang=\"en\">"));
  get.target = "/?lang=ja";
  get.headers.clear();
  EXPECT_THAT(Send(get).body, HasSubstr("<html lang=\"ja\">"));

  const HttpResponse thanks = Send(
      Post("lang=ja&full_name=Ann&email=a%40b.jp",
           {{"content-type", "application/x-www-form-urlencoded"}, {"accept", kBrowserAccept}}));
  EXPECT_EQ(thanks.status, 201);
  EXPECT_THAT(thanks.body, HasSubstr("受付番号：<strong>CB-2026-000042</strong>"));
  fake_.reply = ToGrpcStatus(InvalidFields({{"email", "must be an email address"}}));
  const HttpResponse again = Send(Post("lang=ja&full_name=Ann&email=nope",
                                       {{"content-type", "application/x-www-form-urlencoded"},
                                        {"accept", kBrowserAccept},
                                        {"accept-language", "en"}}));
  EXPECT_EQ(again.status, 400);
  EXPECT_THAT(again.body, HasSubstr("<html lang=\"ja\">"));
  EXPECT_THAT(again.body, HasSubstr("<a href=\"#email\">メールアドレス: must be an email address"));
  // contact.js posts the same form asking for JSON: the violations come back to put next to fields.
  const HttpResponse json = Send(Post(
      "lang=ja&full_name=Ann&email=nope",
      {{"content-type", "application/x-www-form-urlencoded"}, {"accept", "application/json"}}));
  EXPECT_EQ(json.status, 400);
  EXPECT_THAT(json.body, HasSubstr("\"fieldViolations\":[{\"field\":\"email\""));
}

TEST_F(RequestHandlerTest, BackendOutageGivesTheErrorPageWithRetryAfter) {
  fake_.reply = ToGrpcStatus(Unavailable("the database"), "req-9");
  const HttpResponse page =
      Send(Post("full_name=Ann", {{"content-type", "application/x-www-form-urlencoded"},
                                  {"accept", kBrowserAccept}}));
  EXPECT_EQ(page.status, 503);
  EXPECT_EQ(Header(page, "Retry-After"), "1");
  EXPECT_THAT(page.body, HasSubstr("error 503"));
  EXPECT_THAT(page.body, HasSubstr("about 1 seconds"));
  const HttpResponse json = Send(Post("{}", {{"content-type", "application/json"}}));
  EXPECT_EQ(json.status, 503);
  EXPECT_EQ(Header(json, "Retry-After"), "1");
  EXPECT_THAT(json.body, HasSubstr("\"code\":14"));
}

TEST_F(RequestHandlerTest, UnknownServiceAnswers503WithoutLeakingDetails) {
  backends_ =
      std::make_unique<BackendPool>(std::map<std::string, std::string>{}, std::chrono::seconds(1));
  readiness_ = std::make_unique<Readiness>(backends_.get(), redis_.get(), std::chrono::seconds(1));
  const HttpResponse response = Send(Post("{}", {{"content-type", "application/json"}}));
  EXPECT_EQ(response.status, 503);
  EXPECT_THAT(response.body, Not(HasSubstr("configured")));
}

TEST_F(RequestHandlerTest, OwnRoutes) {
  HttpRequest health;
  health.method = "GET";
  health.target = "/healthz";
  EXPECT_EQ(Send(health).body, R"({"status":"ok"})");

  HttpRequest ready = health;
  ready.target = "/readyz";
  const HttpResponse readiness = Send(ready);
  EXPECT_EQ(readiness.status, 503);  // the fake serves no health service and Redis is down
  EXPECT_THAT(readiness.body, HasSubstr("\"redis\":\"unavailable\""));

  HttpRequest css = health;
  css.target = "/static/style.css";
  const HttpResponse stylesheet = Send(css);
  EXPECT_EQ(stylesheet.status, 200);
  EXPECT_EQ(stylesheet.content_type, "text/css; charset=utf-8");

  // The self-booking page and its script; the page's URL carries a token, so no referrer.
  HttpRequest book = health;
  book.target = "/book?token=b1.x";
  const HttpResponse book_page = Send(book);
  EXPECT_EQ(book_page.status, 200);
  EXPECT_THAT(book_page.body, HasSubstr("/static/book.js"));
  EXPECT_EQ(Header(book_page, "Referrer-Policy"), "no-referrer");
  EXPECT_EQ(Header(stylesheet, "Referrer-Policy"), "same-origin");
  HttpRequest script = health;
  script.target = "/static/book.js";
  EXPECT_EQ(Send(script).content_type, "text/javascript; charset=utf-8");

  HttpRequest post_health = health;
  post_health.method = "POST";
  const HttpResponse not_allowed = Send(post_health);
  EXPECT_EQ(not_allowed.status, 405);
  EXPECT_EQ(Header(not_allowed, "Allow"), "GET, HEAD");

  HttpRequest metrics = health;
  metrics.target = "/metrics";
  EXPECT_THAT(
      Send(metrics).body,
      HasSubstr("carebridge_gateway_requests_total{route=\"GET /healthz\",status=\"200\"} 1"));
}

TEST_F(RequestHandlerTest, DashboardPageAndAssetsUnderTheStrictPolicy) {
  constexpr char kStrictCsp[] =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
      "frame-ancestors 'none'";
  HttpRequest get;
  get.method = "GET";
  get.target = "/dashboard/";
  const HttpResponse page = Send(get);
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_THAT(page.body, HasSubstr("/dashboard/app.js"));
  EXPECT_EQ(Header(page, "Content-Security-Policy"), kStrictCsp);
  EXPECT_EQ(Header(page, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Header(page, "Referrer-Policy"), "same-origin");
  EXPECT_EQ(Header(page, "Cache-Control"), "no-store");

  HttpRequest with_query = get;
  with_query.target = "/dashboard/?from=email";
  EXPECT_EQ(Send(with_query).status, 200);

  HttpRequest bare = get;
  bare.target = "/dashboard";
  const HttpResponse redirect = Send(bare);
  EXPECT_EQ(redirect.status, 301);
  EXPECT_EQ(Header(redirect, "Location"), "/dashboard/");

  HttpRequest script = get;
  script.target = "/dashboard/views/case.js";
  const HttpResponse module = Send(script);
  EXPECT_EQ(module.status, 200);
  EXPECT_EQ(module.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(Header(module, "Content-Security-Policy"), kStrictCsp);
  EXPECT_EQ(Header(module, "X-Content-Type-Options"), "nosniff");

  for (const char* unknown : {"/dashboard/x", "/dashboard/index.html", "/dashboard/../web_pages.cc",
                              "/dashboard/views/", "/dashboard//app.js", "/dashboard/app.js.map"}) {
    HttpRequest missing = get;
    missing.target = unknown;
    const HttpResponse not_found = Send(missing);
    EXPECT_EQ(not_found.status, 404) << unknown;
    EXPECT_EQ(not_found.content_type, "application/json") << unknown;
  }

  HttpRequest post = get;
  post.method = "POST";
  EXPECT_EQ(Send(post).status, 405);

  // Other pages keep the default policy.
  HttpRequest contact = get;
  contact.target = "/";
  EXPECT_THAT(Header(Send(contact), "Content-Security-Policy"), StartsWith("default-src 'self'"));
}

TEST_F(RequestHandlerTest, ProtocolErrorsUseTheJsonErrorBody) {
  RequestHandler handler(&routes_, backends_.get(), nullptr, readiness_.get(), pages_.get(),
                         metrics_.get(), {});
  const HttpResponse too_large = handler.ProtocolError(413);
  EXPECT_EQ(too_large.status, 413);
  EXPECT_THAT(too_large.body, HasSubstr("\"field\":\"body\""));
  EXPECT_EQ(Header(too_large, "X-Content-Type-Options"), "nosniff");
}

}  // namespace
}  // namespace carebridge::gateway
