// carebridge-catalog: the Catalog gRPC service. Wiring only: config, dependencies, serve.
//
//   carebridge-catalog                 apply migrations, then serve until SIGTERM
//   carebridge-catalog --migrate-only  apply migrations (schema and seed data) and exit
//
// Configuration (environment; see README "Catalog"):
//   CAREBRIDGE_PG_URI, CAREBRIDGE_PG_POOL_SIZE (16), CAREBRIDGE_REDIS_ADDR (127.0.0.1:56379),
//   CAREBRIDGE_CATALOG_LISTEN (127.0.0.1:50052), CAREBRIDGE_INTERNAL_TOKEN (the suite's own
//   services; opens MatchCase for Inquiries, never the admin RPCs, which need an admin session),
//   CAREBRIDGE_CATALOG_CACHE_ENTRIES (10000; 0 disables the read cache),
//   CAREBRIDGE_CATALOG_CACHE_TTL_MS (60000), CAREBRIDGE_CATALOG_CACHE_CHECK_MS (0: check the
//   cache generation in Redis on every read).
#include <sodium.h>

#include <chrono>

#include "services/catalog/cache_generation.h"
#include "services/catalog/catalog_grpc_service.h"
#include "services/catalog/catalog_service.h"
#include "services/catalog/catalog_store.h"
#include "services/catalog/read_cache.h"
#include "services/catalog/redis_subscriber.h"
#include "services/common/authenticator.h"
#include "services/common/config.h"
#include "services/common/grpc_server.h"
#include "services/common/logging.h"
#include "services/common/migrations.h"
#include "services/common/pg_pool.h"
#include "services/common/redis_client.h"

namespace {
constexpr char kProgram[] = "carebridge-catalog";
constexpr char kGenerationKey[] = "carebridge:catalog:generation";
constexpr char kInvalidationChannel[] = "carebridge:catalog:invalidations";
}  // namespace

int main(int argc, char** argv) {
  using namespace carebridge;
  using namespace carebridge::catalog;
  BlockTerminationSignals();
  // Credentials are hashed with libsodium (services/common/credentials.h).
  if (sodium_init() < 0)
    ExitWithConfigError(kProgram, absl::InternalError("libsodium init failed"));
  const bool migrate_only = MigrateOnlyFlag(kProgram, argc, argv);
  InitLogging("catalog", EnvString("CAREBRIDGE_LOG_LEVEL", "info"));

  PgPoolConfig pg;
  pg.uri = EnvString("CAREBRIDGE_PG_URI", "postgresql://postgres@127.0.0.1:55432/carebridge");
  // The search statement's optional filters ("$3 = '' OR country = $3") make a generic plan sort
  // every live clinic; a plan per execution walks the (name, id) index and stops after one page.
  pg.uri += (pg.uri.find('?') == std::string::npos ? "?" : "&");
  pg.uri += "options=-c%20plan_cache_mode%3Dforce_custom_plan";
  pg.size = static_cast<int>(ValueOrExit(kProgram, EnvInt("CAREBRIDGE_PG_POOL_SIZE", 16, 1, 512)));
  pg.prepared = CatalogStoreStatements();
  RedisConfig redis_config;
  if (absl::Status s =
          ParseRedisAddress(EnvString("CAREBRIDGE_REDIS_ADDR", "127.0.0.1:56379"), &redis_config);
      !s.ok()) {
    ExitWithConfigError(kProgram, s);
  }
  const std::string listen = EnvString("CAREBRIDGE_CATALOG_LISTEN", "127.0.0.1:50052");
  AuthenticatorConfig auth_config;
  auth_config.internal_token = EnvString("CAREBRIDGE_INTERNAL_TOKEN", "");
  const auto cache_entries =
      ValueOrExit(kProgram, EnvInt("CAREBRIDGE_CATALOG_CACHE_ENTRIES", 10000, 0, 10'000'000));
  const auto cache_ttl_ms =
      ValueOrExit(kProgram, EnvInt("CAREBRIDGE_CATALOG_CACHE_TTL_MS", 60000, 1, 86'400'000));
  const auto cache_check_ms =
      ValueOrExit(kProgram, EnvInt("CAREBRIDGE_CATALOG_CACHE_CHECK_MS", 0, 0, 3'600'000));

  PgPool pool(pg);
  if (absl::Status s = ApplyMigrations(pool, "catalog", CatalogMigrations()); !s.ok()) {
    ExitWithConfigError(kProgram, s);
  }
  if (migrate_only) return 0;

  const Clock clock = [] { return absl::Now(); };
  RedisClient redis(redis_config);
  RedisGenerationBackend backend(redis, kGenerationKey, kInvalidationChannel);
  CacheGeneration generation(backend, absl::Milliseconds(cache_check_ms), clock);
  ReadCache cache(static_cast<size_t>(cache_entries));
  RedisSubscriber subscriber(redis_config, kInvalidationChannel,
                             {.on_message = [&](const std::string&) { generation.Invalidate(); },
                              .on_gap = [&] { generation.Invalidate(); },
                              .on_tick = [&] { generation.RetryPendingBump(); }});
  subscriber.Start();

  CatalogStore store(pool);
  CatalogService catalog(store, &cache, &generation, clock, absl::Milliseconds(cache_ttl_ms));
  Authenticator auth(&redis, auth_config);
  if (auth.internal_open()) LogWarning("internal_rpcs_unauthenticated");
  CatalogGrpcService grpc_service(catalog, auth);
  auto server = GrpcServer::Start(listen, {&grpc_service});
  if (!server.ok()) ExitWithConfigError(kProgram, server.status());
  LogInfo("serving", {{"port", (*server)->port()},
                      {"cache_entries", cache_entries},
                      {"cache_check_ms", cache_check_ms}});

  const int signal = WaitForTerminationSignal();
  LogInfo("shutting_down", {{"signal", signal},
                            {"cache_hits", static_cast<long long>(cache.hits())},
                            {"cache_misses", static_cast<long long>(cache.misses())}});
  (*server)->Shutdown();
  return 0;
}
