#include "gateway/request_handler.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "carebridge/v1/identity.pb.h"
#include "carebridge/v1/scheduling.pb.h"
#include "gateway/error_reply.h"
#include "gateway/openapi.h"
#include "gateway/security_headers.h"
#include "gateway/session_cookies.h"
#include "gateway/transcoder.h"
#include "gateway/url_encoding.h"
#include "services/common/errors.h"
#include "services/common/logging.h"
#include "services/common/principal.h"
#include "services/common/request_id.h"

namespace carebridge::gateway {
namespace {

constexpr std::string_view kJsonType = "application/json";
constexpr std::string_view kHtmlType = "text/html; charset=utf-8";
constexpr std::string_view kStaticPrefix = "/static/";
constexpr std::string_view kDashboardPrefix = "/dashboard/";

// The gateway's own routes: path -> metric label.
constexpr std::pair<std::string_view, std::string_view> kOwnRoutes[] = {
    {"/", "GET /"},
    {"/book", "GET /book"},
    {"/dashboard", "GET /dashboard"},
    {"/dashboard/", "GET /dashboard/"},
    {"/healthz", "GET /healthz"},
    {"/readyz", "GET /readyz"},
    {"/metrics", "GET /metrics"},
    {"/openapi.json", "GET /openapi.json"},
};
constexpr std::string_view kStaticLabel = "GET /static/{name}";
constexpr std::string_view kDashboardAssetLabel = "GET /dashboard/{file}";

bool HasPrefix(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Metadata values must be printable ASCII; anything else is not forwarded.
bool IsForwardableValue(std::string_view value, size_t max_length) {
  if (value.empty() || value.size() > max_length) return false;
  for (char c : value) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

HttpResponse JsonResponse(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = std::string(kJsonType);
  response.body = std::move(body);
  return response;
}

HttpResponse HtmlResponse(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = std::string(kHtmlType);
  response.body = std::move(body);
  return response;
}

std::string StatusJson(std::string_view status) {
  google::protobuf::Struct body;
  (*body.mutable_fields())["status"].set_string_value(std::string(status));
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(body, &json);
  return json;
}

}  // namespace

struct RequestHandler::Exchange {
  HttpRequest request;
  boost::asio::any_io_executor executor;
  Reply reply;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::string request_id;
  std::string route_label{Metrics::kUnmatched};
  bool wants_html = false;  // a browser posted the contact form: answer with pages
  TranscodedRequest transcoded;
};

RequestHandler::RequestHandler(const RouteTable* routes, BackendPool* backends,
                               RateLimiter* limiter, Readiness* readiness, const WebPages* pages,
                               Metrics* metrics, RequestHandlerOptions options)
    : routes_(routes),
      backends_(backends),
      limiter_(limiter),
      readiness_(readiness),
      pages_(pages),
      metrics_(metrics),
      openapi_json_(OpenApiJson(*routes)),
      options_(options),
      blocking_(static_cast<size_t>(std::max(1, options.blocking_threads))) {}

RequestHandler::~RequestHandler() { blocking_.join(); }

std::vector<std::string> RequestHandler::OwnRouteLabels() {
  std::vector<std::string> labels;
  for (const auto& [path, label] : kOwnRoutes) labels.emplace_back(label);
  labels.emplace_back(kStaticLabel);
  labels.emplace_back(kDashboardAssetLabel);
  return labels;
}

void RequestHandler::Handle(HttpRequest request, boost::asio::any_io_executor executor,
                            Reply reply) {
  auto exchange = std::make_shared<Exchange>();
  const std::string client_id = request.Header("x-request-id");
  exchange->request_id = IsAcceptableRequestId(client_id) ? client_id : NewRequestId();
  exchange->request = std::move(request);
  exchange->executor = std::move(executor);
  exchange->reply = std::move(reply);
  Dispatch(exchange);
}

void RequestHandler::Dispatch(const std::shared_ptr<Exchange>& exchange) {
  const HttpRequest& request = exchange->request;
  const auto [path, query] = SplitTarget(request.target);
  const bool is_get = request.method == "GET" || request.method == "HEAD";

  for (const auto& [own_path, label] : kOwnRoutes) {
    if (path != own_path) continue;
    exchange->route_label = std::string(label);
    if (!is_get) {
      HttpResponse response =
          ErrorResponse(exchange, absl::UnimplementedError("method not allowed"), 405);
      response.SetHeader("Allow", "GET, HEAD");
      Finish(exchange, std::move(response));
    } else if (path == "/") {
      // In the language of ?lang=, else of Accept-Language (page_language.h).
      HttpResponse response = HtmlResponse(
          200, pages_->RenderForm(ParseUrlEncoded(query), {}, request.Header("accept-language")));
      response.SetHeader("Vary", "Accept-Language");
      Finish(exchange, std::move(response));
    } else if (path == "/book") {
      HttpResponse response = HtmlResponse(200, pages_->BookPage());
      // The URL carries the patient's booking link token: never send it on as a referrer.
      SetNoReferrer(&response);
      Finish(exchange, std::move(response));
    } else if (path == "/dashboard") {
      // The dashboard's scripts are addressed relative to /dashboard/ (the URL's hash, where the
      // dashboard keeps its view, is kept by the browser across the redirect).
      HttpResponse response;
      response.status = 301;
      response.SetHeader("Location", "/dashboard/");
      Finish(exchange, std::move(response));
    } else if (path == "/dashboard/") {
      const StaticFile& page = pages_->DashboardPage();
      HttpResponse response = HtmlResponse(200, page.body);
      SetDashboardHeaders(&response, /*html=*/true);
      Finish(exchange, std::move(response));
    } else if (path == "/healthz") {
      Finish(exchange, JsonResponse(200, StatusJson("ok")));
    } else if (path == "/openapi.json") {
      Finish(exchange, JsonResponse(200, openapi_json_));
    } else if (path == "/metrics") {
      HttpResponse response;
      response.content_type = "text/plain; version=0.0.4; charset=utf-8";
      response.body = metrics_->Render();
      Finish(exchange, std::move(response));
    } else {  // /readyz: Redis is asked synchronously, so not on this thread.
      boost::asio::post(blocking_, [this, exchange] {
        readiness_->Check([this, exchange](bool ready, std::string json) {
          Finish(exchange, JsonResponse(ready ? 200 : 503, std::move(json)));
        });
      });
    }
    return;
  }

  if (is_get && HasPrefix(path, kDashboardPrefix)) {
    exchange->route_label = std::string(kDashboardAssetLabel);
    FinishWithFile(exchange, pages_->FindDashboardAsset(path.substr(kDashboardPrefix.size())),
                   [](HttpResponse* response) { SetDashboardHeaders(response, /*html=*/false); });
    return;
  }

  if (is_get && HasPrefix(path, kStaticPrefix)) {
    exchange->route_label = std::string(kStaticLabel);
    FinishWithFile(exchange, pages_->FindStatic(path.substr(kStaticPrefix.size())),
                   [](HttpResponse* response) {
                     response->SetHeader("Cache-Control", "public, max-age=300");
                   });
    return;
  }

  RouteMatch match = routes_->Match(request.method, path);
  if (match.outcome == RouteMatch::Outcome::kNotFound) {
    Finish(exchange, ErrorResponse(exchange, absl::NotFoundError("no such route")));
    return;
  }
  if (match.outcome == RouteMatch::Outcome::kMethodNotAllowed) {
    HttpResponse response =
        ErrorResponse(exchange, absl::UnimplementedError("method not allowed"), 405);
    response.SetHeader("Allow", absl::StrJoin(match.allowed, ", "));
    Finish(exchange, std::move(response));
    return;
  }
  HandleRpc(exchange, match);
}

void RequestHandler::FinishWithFile(const std::shared_ptr<Exchange>& exchange,
                                    const StaticFile* file,
                                    const std::function<void(HttpResponse*)>& set_headers) {
  if (file == nullptr) {
    Finish(exchange, ErrorResponse(exchange, absl::NotFoundError("not found")));
    return;
  }
  HttpResponse response;
  response.content_type = file->content_type;
  response.body = file->body;
  set_headers(&response);
  Finish(exchange, std::move(response));
}

void RequestHandler::HandleRpc(const std::shared_ptr<Exchange>& exchange, const RouteMatch& match) {
  const Route& route = *match.route;
  exchange->route_label = absl::StrCat(route.http_method, " ", route.pattern());
  exchange->wants_html =
      pages_->ServesForm(route) &&
      MediaType(exchange->request.Header("content-type")) == "application/x-www-form-urlencoded" &&
      PrefersHtml(exchange->request.Header("accept"));

  const RateLimitRule* rule =
      limiter_ == nullptr ? nullptr : limiter_->RuleFor(route.http_method, route.pattern());
  if (rule == nullptr) {
    CallBackend(exchange, match);
    return;
  }
  boost::asio::post(blocking_, [this, exchange, match, rule] {
    const RateLimiter::Decision decision = limiter_->Check(*rule, ClientIp(exchange->request));
    if (decision.allowed) {
      CallBackend(exchange, match);
      return;
    }
    ErrorReply reply = ErrorReplyFrom(
        absl::ResourceExhaustedError("too many requests from this address, please retry later"));
    reply.retry_after_seconds = decision.retry_after_seconds;
    Finish(exchange, ErrorFromReply(exchange, reply));
  });
}

void RequestHandler::CallBackend(const std::shared_ptr<Exchange>& exchange,
                                 const RouteMatch& match) {
  const Route& route = *match.route;
  const HttpRequest& request = exchange->request;
  bool unsupported_media_type = false;
  const absl::Status built =
      BuildRequest(match, request, &exchange->transcoded, &unsupported_media_type);
  if (!built.ok()) {
    if (exchange->wants_html && !unsupported_media_type) {
      Finish(exchange, HtmlResponse(400, pages_->RenderForm(exchange->transcoded.form_pairs,
                                                            FieldViolationsOf(built))));
    } else {
      Finish(exchange, ErrorResponse(exchange, built, unsupported_media_type ? 415 : 0));
    }
    return;
  }

  std::string idempotency_key = request.Header("idempotency-key");
  if (idempotency_key.empty()) idempotency_key = exchange->transcoded.idempotency_key;
  if (!idempotency_key.empty() && !IsForwardableValue(idempotency_key, 255)) {
    Finish(exchange, ErrorResponse(exchange, InvalidFields({{"Idempotency-Key",
                                                             "must be 1 to 255 printable ASCII "
                                                             "characters"}})));
    return;
  }
  CallMetadata metadata = {{"x-request-id", exchange->request_id},
                           {"x-forwarded-for", ClientIp(request)}};
  if (!idempotency_key.empty()) metadata.emplace_back("idempotency-key", idempotency_key);
  for (const char* name : {"traceparent", "tracestate"}) {
    const std::string value = request.Header(name);
    if (IsForwardableValue(value, 4096)) metadata.emplace_back(name, value);
  }
  // The Authorization header, or the dashboard's session cookie (CSRF-checked on writes).
  absl::StatusOr<std::string> authorization =
      ForwardedAuthorization(request, IsPublicMethod(route.grpc_path));
  if (!authorization.ok()) {
    Finish(exchange, ErrorResponse(exchange, authorization.status()));
    return;
  }
  if (IsForwardableValue(*authorization, 4096)) {
    metadata.emplace_back("authorization", *authorization);
  }

  std::string serialized;
  exchange->transcoded.message->SerializeToString(&serialized);
  backends_->Call(route.service_name, route.grpc_path, std::move(serialized), metadata,
                  [this, exchange, &route](const grpc::Status& status, std::string response) {
                    // On a gRPC thread: continue on the connection's executor.
                    boost::asio::post(exchange->executor, [this, exchange, &route, status,
                                                           response = std::move(response)] {
                      OnBackendReply(exchange, route, status, response);
                    });
                  });
}

void RequestHandler::OnBackendReply(const std::shared_ptr<Exchange>& exchange, const Route& route,
                                    const grpc::Status& status, const std::string& response) {
  if (!status.ok()) {
    LogWarning("backend_error", {{"service", route.service_name},
                                 {"method", route.method->name()},
                                 {"code", static_cast<int>(status.error_code())},
                                 {"request_id", exchange->request_id}});
    Finish(exchange, ErrorFromReply(exchange, ErrorReplyFrom(status)));
    return;
  }
  std::unique_ptr<google::protobuf::Message> message = NewMessage(route.method->output_type());
  // A raw body (calendar feeds): answered as it is, under its own content type.
  if (route.method->output_type() == carebridge::v1::HttpBody::descriptor()) {
    carebridge::v1::HttpBody body;
    if (!body.ParseFromString(response)) {
      Finish(exchange, ErrorResponse(exchange, Internal()));
      return;
    }
    HttpResponse reply;
    reply.content_type = body.content_type();
    reply.body = body.data();
    // Calendar apps poll; a private feed must not sit in shared caches.
    reply.SetHeader("Cache-Control", "private, max-age=300");
    Finish(exchange, std::move(reply));
    return;
  }
  absl::StatusOr<std::string> json = absl::InternalError("unparsable response");
  if (message->ParseFromString(response)) json = ResponseJson(*message);
  if (!json.ok()) {
    LogError("backend_reply_unreadable",
             {{"service", route.service_name}, {"request_id", exchange->request_id}});
    Finish(exchange, ErrorResponse(exchange, Internal()));
    return;
  }
  const bool creates =
      route.http_method == "POST" && absl::StartsWith(route.method->name(), "Create");
  const int http_status = creates ? 201 : 200;
  if (exchange->wants_html) {
    Finish(exchange, HtmlResponse(http_status,
                                  pages_->RenderThanks(*message, exchange->transcoded.form_pairs)));
    return;
  }
  HttpResponse reply = JsonResponse(http_status, *std::move(json));
  AddSessionCookies(route, *message, &reply);
  Finish(exchange, std::move(reply));
}

void RequestHandler::AddSessionCookies(const Route& route, const google::protobuf::Message& message,
                                       HttpResponse* response) const {
  const std::string& method = route.method->full_name();
  std::vector<std::string> cookies;
  if (method == "carebridge.v1.Identity.CreateSession") {
    const auto* session = dynamic_cast<const carebridge::v1::Session*>(&message);
    if (session == nullptr) return;
    const long long max_age = session->expires_at().seconds() - absl::ToUnixSeconds(absl::Now());
    cookies =
        SessionCookies(session->token(), session->csrf_token(), max_age, options_.secure_cookies);
  } else if (method == "carebridge.v1.Identity.DeleteSession") {
    cookies = ClearedSessionCookies(options_.secure_cookies);
  }
  for (std::string& cookie : cookies)
    response->headers.emplace_back("Set-Cookie", std::move(cookie));
}

HttpResponse RequestHandler::ErrorResponse(const std::shared_ptr<Exchange>& exchange,
                                           const absl::Status& status, int http_status_override) {
  ErrorReply reply = ErrorReplyFrom(status);
  if (http_status_override != 0) reply.http_status = http_status_override;
  return ErrorFromReply(exchange, reply);
}

HttpResponse RequestHandler::ErrorFromReply(const std::shared_ptr<Exchange>& exchange,
                                            const ErrorReply& reply) {
  HttpResponse response;
  if (exchange->wants_html) {
    const std::vector<FieldViolation> violations = FieldViolationsIn(reply.status);
    if (reply.status.code() == static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT) &&
        !violations.empty()) {
      response = HtmlResponse(reply.http_status,
                              pages_->RenderForm(exchange->transcoded.form_pairs, violations));
    } else {
      response =
          HtmlResponse(reply.http_status,
                       pages_->RenderError(reply.http_status, reply.retry_after_seconds,
                                           exchange->request_id, exchange->transcoded.form_pairs));
    }
  } else {
    response = JsonResponse(reply.http_status, ErrorBodyJson(reply.status));
  }
  if (reply.retry_after_seconds > 0) {
    response.SetHeader("Retry-After", absl::StrCat(reply.retry_after_seconds));
  }
  return response;
}

HttpResponse RequestHandler::ProtocolError(int http_status) {
  auto exchange = std::make_shared<Exchange>();
  exchange->request_id = NewRequestId();
  absl::Status status;
  switch (http_status) {
    case 413:
      status = InvalidFields({{"body", "is larger than the gateway accepts"}});
      break;
    case 431:
      status = absl::InvalidArgumentError("request headers too large");
      break;
    default:
      status = absl::InvalidArgumentError("malformed HTTP request");
  }
  HttpResponse response = ErrorResponse(exchange, status, http_status);
  Complete(*exchange, &response);
  return response;
}

void RequestHandler::Complete(const Exchange& exchange, HttpResponse* response) {
  response->SetHeader("X-Request-Id", exchange.request_id);
  AddSecurityHeaders(response);

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - exchange.start).count();
  metrics_->Record(exchange.route_label, response->status, seconds);
  LogInfo("http_request", {{"method", exchange.request.method},
                           {"route", exchange.route_label},
                           {"status", response->status},
                           {"duration_ms", static_cast<long long>(seconds * 1000)},
                           {"request_id", exchange.request_id}});
}

void RequestHandler::Finish(const std::shared_ptr<Exchange>& exchange, HttpResponse response) {
  Complete(*exchange, &response);
  boost::asio::post(exchange->executor, [exchange, response = std::move(response)]() mutable {
    exchange->reply(std::move(response));
  });
}

std::string RequestHandler::ClientIp(const HttpRequest& request) const {
  if (options_.trust_forwarded_for) {
    const std::string forwarded = request.Header("x-forwarded-for");
    const absl::string_view first_hop =
        absl::StripAsciiWhitespace(absl::string_view(forwarded).substr(0, forwarded.find(',')));
    boost::system::error_code error;
    const auto address = boost::asio::ip::make_address(std::string(first_hop), error);
    if (!first_hop.empty() && !error) return address.to_string();
  }
  return request.peer_ip;
}

}  // namespace carebridge::gateway
