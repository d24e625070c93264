// carebridge-gateway: HTTP/JSON in front of the gRPC services, plus the public contact form.
// Wiring only: read the configuration (gateway_config.h), build the parts, serve until SIGTERM.
#include <algorithm>
#include <cstdlib>
#include <memory>

#include "gateway/api_services.h"
#include "gateway/backend_pool.h"
#include "gateway/gateway_config.h"
#include "gateway/metrics.h"
#include "gateway/rate_limiter.h"
#include "gateway/readiness.h"
#include "gateway/request_handler.h"
#include "gateway/route_table.h"
#include "gateway/web_pages.h"
#include "services/common/config.h"
#include "services/common/grpc_server.h"
#include "services/common/http_server.h"
#include "services/common/logging.h"

namespace gw = carebridge::gateway;

int main() {
  constexpr char kProgram[] = "carebridge-gateway";
  carebridge::BlockTerminationSignals();

  const gw::RouteTable routes =
      carebridge::ValueOrExit(kProgram, gw::RouteTable::Build(gw::ApiServices()));
  // Only services with HTTP routes need a backend; the others are reached over gRPC directly.
  std::vector<std::string> services;
  for (const gw::Route& route : routes.routes()) {
    if (std::find(services.begin(), services.end(), route.service_name) == services.end()) {
      services.push_back(route.service_name);
    }
  }
  const gw::GatewayConfig config =
      carebridge::ValueOrExit(kProgram, gw::GatewayConfigFromEnv(services));
  carebridge::InitLogging("gateway", config.log_level);

  const std::unique_ptr<gw::WebPages> pages =
      carebridge::ValueOrExit(kProgram, gw::WebPages::Load(config.web_dir, routes));
  gw::BackendPool backends(config.backend_addresses, config.backend_timeout);
  carebridge::RedisClient redis(config.redis);
  gw::RateLimiter limiter(std::make_unique<gw::RedisHitCounter>(&redis), config.rate_limits);
  gw::Readiness readiness(&backends, &redis, std::chrono::seconds(1));

  std::vector<std::string> labels = gw::RequestHandler::OwnRouteLabels();
  for (const gw::Route& route : routes.routes()) {
    labels.push_back(route.http_method + " " + route.pattern());
  }
  gw::Metrics metrics(labels);
  auto handler = std::make_unique<gw::RequestHandler>(
      &routes, &backends, &limiter, &readiness, pages.get(), &metrics,
      gw::RequestHandlerOptions{.trust_forwarded_for = config.trust_forwarded_for,
                                .secure_cookies = config.secure_cookies});

  auto server = carebridge::ValueOrExit(
      kProgram,
      carebridge::HttpServer::Start(
          config.http,
          [&handler](carebridge::HttpRequest request, boost::asio::any_io_executor executor,
                     carebridge::HttpServer::Reply reply) {
            handler->Handle(std::move(request), std::move(executor), std::move(reply));
          },
          [&handler](int status) { return handler->ProtocolError(status); }));
  carebridge::LogInfo("gateway_listening", {{"port", server->port()},
                                            {"routes", static_cast<int>(routes.routes().size())}});

  const int signal = carebridge::WaitForTerminationSignal();
  carebridge::LogInfo("gateway_stopping", {{"signal", signal}});
  // In-flight requests end within the backend deadline, so the grace period covers them.
  server->Stop(config.backend_timeout + std::chrono::seconds(2));
  handler.reset();  // joins blocking work, which may still post to the stopped server's executor
  server.reset();
  carebridge::LogInfo("gateway_stopped");
  return EXIT_SUCCESS;
}
