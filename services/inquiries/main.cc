// carebridge-inquiries: the Inquiries gRPC service. Wiring only: config, dependencies, serve.
//
//   carebridge-inquiries                 apply migrations, then serve until SIGTERM
//   carebridge-inquiries --migrate-only  apply migrations and exit
#include <sodium.h>

#include "services/common/authenticator.h"
#include "services/common/config.h"
#include "services/common/grpc_server.h"
#include "services/common/logging.h"
#include "services/common/migrations.h"
#include "services/common/outbox_relay.h"
#include "services/common/pg_pool.h"
#include "services/common/redis_client.h"
#include "services/identity/admin_service.h"
#include "services/identity/credential_registry.h"
#include "services/identity/identity_grpc_service.h"
#include "services/identity/identity_store.h"
#include "services/identity/session_service.h"
#include "services/inquiries/case_contact_store.h"
#include "services/inquiries/case_service.h"
#include "services/inquiries/case_stats_service.h"
#include "services/inquiries/case_stats_store.h"
#include "services/inquiries/case_store.h"
#include "services/inquiries/catalog_matcher.h"
#include "services/inquiries/inquiries_grpc_service.h"
#include "services/inquiries/inquiry_store.h"
#include "services/inquiries/intake_service.h"

namespace {
constexpr char kProgram[] = "carebridge-inquiries";
}  // namespace

int main(int argc, char** argv) {
  using namespace carebridge;
  BlockTerminationSignals();
  const bool migrate_only = MigrateOnlyFlag(kProgram, argc, argv);
  InitLogging("inquiries", EnvString("CAREBRIDGE_LOG_LEVEL", "info"));
  if (sodium_init() < 0)
    ExitWithConfigError(kProgram, absl::InternalError("libsodium init failed"));

  PgPoolConfig pg;
  pg.uri = EnvString("CAREBRIDGE_PG_URI", "postgresql://postgres@127.0.0.1:55432/carebridge");
  pg.size = static_cast<int>(ValueOrExit(kProgram, EnvInt("CAREBRIDGE_PG_POOL_SIZE", 16, 1, 512)));
  pg.prepared = inquiries::InquiryStoreStatements();
  for (auto& statement : inquiries::CaseContactStatements()) pg.prepared.push_back(statement);
  for (auto& statement : OutboxRelayStatements()) pg.prepared.push_back(statement);
  const std::string listen = EnvString("CAREBRIDGE_INQUIRIES_LISTEN", "127.0.0.1:50051");
  // The outbox relay (see outbox_relay.h): on by default; off leaves relaying to other replicas.
  const bool relay_on = ValueOrExit(kProgram, EnvBool("CAREBRIDGE_OUTBOX_RELAY", true));
  OutboxRelayConfig relay_config;
  relay_config.interval = std::chrono::milliseconds(
      ValueOrExit(kProgram, EnvInt("CAREBRIDGE_OUTBOX_RELAY_INTERVAL_MS", 100, 1, 60000)));
  relay_config.batch = static_cast<int>(
      ValueOrExit(kProgram, EnvInt("CAREBRIDGE_OUTBOX_RELAY_BATCH", 200, 1, 5000)));
  relay_config.resend_after = absl::Milliseconds(ValueOrExit(
      kProgram, EnvInt("CAREBRIDGE_OUTBOX_RESEND_AFTER_MS", 600000, 1000, 7LL * 24 * 3600 * 1000)));
  RedisConfig redis_config;
  if (absl::Status s =
          ParseRedisAddress(EnvString("CAREBRIDGE_REDIS_ADDR", "127.0.0.1:56379"), &redis_config);
      !s.ok()) {
    ExitWithConfigError(kProgram, s);
  }

  // Identity (services/identity, README "Identity").
  AuthenticatorConfig auth_config;
  auth_config.internal_token = EnvString("CAREBRIDGE_INTERNAL_TOKEN", "");
  identity::SessionConfig session_config;
  session_config.session_ttl = absl::Seconds(ValueOrExit(
      kProgram, EnvInt("CAREBRIDGE_SESSION_TTL_SECONDS", 12 * 3600, 1, 30LL * 24 * 3600)));
  session_config.max_failures =
      static_cast<int>(ValueOrExit(kProgram, EnvInt("CAREBRIDGE_LOGIN_MAX_FAILURES", 5, 1, 1000)));
  session_config.lockout_window = absl::Seconds(
      ValueOrExit(kProgram, EnvInt("CAREBRIDGE_LOGIN_LOCKOUT_SECONDS", 900, 1, 86400)));
  const std::string catalog_addr = EnvString("CAREBRIDGE_CATALOG_ADDR", "127.0.0.1:50052");
  const auto catalog_timeout = std::chrono::milliseconds(
      ValueOrExit(kProgram, EnvInt("CAREBRIDGE_CATALOG_TIMEOUT_MS", 2000, 1, 60000)));

  PgPool pool(pg);
  // Identity first: intake assigns new cases to users of the identity schema.
  if (absl::Status s = ApplyMigrations(pool, "identity", IdentityMigrations()); !s.ok()) {
    ExitWithConfigError(kProgram, s);
  }
  if (absl::Status s = ApplyMigrations(pool, "inquiries", InquiriesMigrations()); !s.ok()) {
    ExitWithConfigError(kProgram, s);
  }
  if (migrate_only) return 0;

  RedisClient redis(redis_config);
  identity::IdentityStore identity_store(pool);
  identity::CredentialRegistry registry(redis);
  // Heal the Redis mirror of partner keys from PostgreSQL (the source of truth).
  if (auto partners = identity_store.ListPartnerKeys(); partners.ok()) {
    if (absl::Status s = registry.MirrorAll(*partners); !s.ok()) {
      LogWarning("partner_key_mirror_failed", {{"code", static_cast<int>(s.code())}});
    }
  }
  Authenticator auth(&redis, auth_config);
  if (auth.internal_open()) LogWarning("internal_rpcs_unauthenticated");
  identity::SessionService sessions(identity_store, registry, session_config,
                                    [] { return absl::Now(); });
  identity::AdminService admin(identity_store, registry);
  identity::IdentityGrpcService identity_service(sessions, admin, auth);

  inquiries::InquiryStore store(pool);
  inquiries::IntakeService intake(store, [] { return absl::Now(); });
  inquiries::CaseContactStore contacts(pool);
  inquiries::CaseStore case_store(pool);
  inquiries::GrpcCaseMatcher matcher(catalog_addr, catalog_timeout, auth_config.internal_token);
  inquiries::CaseService cases(case_store, &matcher, [] { return absl::Now(); });
  inquiries::CaseStatsStore stats_store(pool);
  inquiries::CaseStatsService stats(stats_store, [] { return absl::Now(); });
  inquiries::InquiriesGrpcService grpc_service(intake, contacts, cases, stats, auth);
  auto server = GrpcServer::Start(listen, {&grpc_service, &identity_service});
  if (!server.ok()) ExitWithConfigError(kProgram, server.status());
  OutboxRelay relay(pool, redis, relay_config, [] { return absl::Now(); });
  if (relay_on) relay.Start();

  const int signal = WaitForTerminationSignal();
  LogInfo("shutting_down", {{"signal", signal}});
  relay.Stop();
  (*server)->Shutdown();
  return 0;
}
