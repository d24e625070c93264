// carebridge-followups: the follow-up worker. Wiring only: config, dependencies, serve.
//
//   carebridge-followups                 apply migrations, check Redis, then work until SIGTERM
//   carebridge-followups --migrate-only  apply migrations and exit
//
// Configuration (README "Follow-ups"): CAREBRIDGE_PG_URI, CAREBRIDGE_REDIS_ADDR,
// CAREBRIDGE_INQUIRIES_ADDR, CAREBRIDGE_INTERNAL_TOKEN (presented to Inquiries),
// CAREBRIDGE_FOLLOWUPS_* (listen, metrics, workers, tries, backoff, lease, claim),
// CAREBRIDGE_SMTP_*, CAREBRIDGE_WEBHOOK_*, CAREBRIDGE_*_EMAIL, CAREBRIDGE_PUBLIC_BASE_URL,
// CAREBRIDGE_ALLOW_UNSAFE_REDIS, CAREBRIDGE_SCHEDULING_ADDR (127.0.0.1:50053; "none": no
// reminders), CAREBRIDGE_BOOKING_LINK_SECRET, CAREBRIDGE_BOOKING_LINK_TTL_DAYS (30).
#include <curl/curl.h>
#include <sodium.h>
#include <unistd.h>

#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "services/common/authenticator.h"
#include "services/common/config.h"
#include "services/common/grpc_server.h"
#include "services/common/logging.h"
#include "services/common/migrations.h"
#include "services/common/pg_pool.h"
#include "services/common/redis_client.h"
#include "services/followups/booking_directory.h"
#include "services/followups/case_directory.h"
#include "services/followups/email_sender.h"
#include "services/followups/followups_grpc_service.h"
#include "services/followups/job_processor.h"
#include "services/followups/job_store.h"
#include "services/followups/metrics.h"
#include "services/followups/queue_consumer.h"
#include "services/followups/webhook_sender.h"

namespace {
constexpr char kProgram[] = "carebridge-followups";

long long Int(const char* name, long long fallback, long long min, long long max) {
  return carebridge::ValueOrExit(kProgram, carebridge::EnvInt(name, fallback, min, max));
}
}  // namespace

int main(int argc, char** argv) {
  using namespace carebridge;
  using namespace carebridge::followups;
  BlockTerminationSignals();
  const bool migrate_only = MigrateOnlyFlag(kProgram, argc, argv);
  InitLogging("followups", EnvString("CAREBRIDGE_LOG_LEVEL", "info"));
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || sodium_init() < 0) {
    ExitWithConfigError(kProgram, absl::InternalError("cannot initialize libcurl or libsodium"));
  }

  PgPoolConfig pg;
  pg.uri = EnvString("CAREBRIDGE_PG_URI", "postgresql://postgres@127.0.0.1:55432/carebridge");
  pg.size = static_cast<int>(Int("CAREBRIDGE_PG_POOL_SIZE", 8, 1, 512));
  pg.prepared = JobStoreStatements();
  RedisConfig redis_config;
  if (absl::Status s =
          ParseRedisAddress(EnvString("CAREBRIDGE_REDIS_ADDR", "127.0.0.1:56379"), &redis_config);
      !s.ok()) {
    ExitWithConfigError(kProgram, s);
  }
  const bool allow_unsafe_redis =
      ValueOrExit(kProgram, EnvBool("CAREBRIDGE_ALLOW_UNSAFE_REDIS", false));
  const std::string listen = EnvString("CAREBRIDGE_FOLLOWUPS_LISTEN", "127.0.0.1:50054");
  const std::string metrics_listen =
      EnvString("CAREBRIDGE_FOLLOWUPS_METRICS_LISTEN", "127.0.0.1:9464");
  const std::string inquiries_addr = EnvString("CAREBRIDGE_INQUIRIES_ADDR", "127.0.0.1:50051");
  // Presented on every call to the internal Inquiries RPCs (GetCaseContacts, ConfirmFollowUps).
  const std::string internal_token = EnvString("CAREBRIDGE_INTERNAL_TOKEN", "");

  ProcessorConfig processor_config;
  processor_config.max_tries = static_cast<int>(Int("CAREBRIDGE_FOLLOWUPS_MAX_TRIES", 8, 1, 100));
  processor_config.backoff.base =
      absl::Milliseconds(Int("CAREBRIDGE_FOLLOWUPS_BACKOFF_BASE_MS", 30000, 1, 86400000));
  processor_config.backoff.cap =
      absl::Milliseconds(Int("CAREBRIDGE_FOLLOWUPS_BACKOFF_CAP_MS", 3600000, 1, 7 * 86400000LL));
  processor_config.lease =
      absl::Milliseconds(Int("CAREBRIDGE_FOLLOWUPS_LEASE_MS", 120000, 100, 86400000));
  processor_config.desk_email =
      EnvString("CAREBRIDGE_COORDINATOR_DESK_EMAIL", "desk@carebridge.local");
  processor_config.lead_email =
      EnvString("CAREBRIDGE_LEAD_COORDINATOR_EMAIL", "lead@carebridge.local");
  processor_config.public_base_url =
      EnvString("CAREBRIDGE_PUBLIC_BASE_URL", "http://127.0.0.1:8080");
  processor_config.webhook_url = EnvString("CAREBRIDGE_WEBHOOK_URL", "");
  processor_config.booking_link_secret = EnvString("CAREBRIDGE_BOOKING_LINK_SECRET", "");
  processor_config.booking_link_ttl =
      absl::Hours(24) * Int("CAREBRIDGE_BOOKING_LINK_TTL_DAYS", 30, 1, 365);
  const std::string scheduling_addr = EnvString("CAREBRIDGE_SCHEDULING_ADDR", "127.0.0.1:50053");

  SmtpConfig smtp;
  smtp.url = EnvString("CAREBRIDGE_SMTP_URL", "smtp://127.0.0.1:2525");
  smtp.from = EnvString("CAREBRIDGE_SMTP_FROM", "CareBridge <followups@carebridge.local>");
  smtp.tls = EnvString("CAREBRIDGE_SMTP_TLS", "none");
  if (smtp.tls != "none" && smtp.tls != "try" && smtp.tls != "all") {
    ExitWithConfigError(kProgram,
                        absl::InvalidArgumentError("CAREBRIDGE_SMTP_TLS must be none, try or all"));
  }
  smtp.verify_peer = ValueOrExit(kProgram, EnvBool("CAREBRIDGE_SMTP_TLS_VERIFY", true));
  smtp.username = EnvString("CAREBRIDGE_SMTP_USERNAME", "");
  smtp.password = EnvString("CAREBRIDGE_SMTP_PASSWORD", "");
  smtp.timeout = std::chrono::milliseconds(Int("CAREBRIDGE_SMTP_TIMEOUT_MS", 10000, 100, 600000));
  const std::string webhook_secret = EnvString("CAREBRIDGE_WEBHOOK_SECRET", "");
  if (!processor_config.webhook_url.empty() && webhook_secret.empty()) {
    ExitWithConfigError(kProgram,
                        absl::InvalidArgumentError(
                            "CAREBRIDGE_WEBHOOK_SECRET is required with CAREBRIDGE_WEBHOOK_URL"));
  }
  const auto webhook_timeout =
      std::chrono::milliseconds(Int("CAREBRIDGE_WEBHOOK_TIMEOUT_MS", 10000, 100, 600000));
  if (absl::Milliseconds(std::max(smtp.timeout, webhook_timeout).count()) * 2 >=
      processor_config.lease) {
    ExitWithConfigError(
        kProgram,
        absl::InvalidArgumentError(
            "CAREBRIDGE_FOLLOWUPS_LEASE_MS must exceed twice the SMTP and webhook timeouts"));
  }

  ConsumerConfig consumer;
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  consumer.consumer_prefix = absl::StrCat(host, "-", getpid());
  consumer.threads = static_cast<int>(Int("CAREBRIDGE_FOLLOWUPS_WORKERS", 4, 1, 256));
  consumer.batch = static_cast<int>(Int("CAREBRIDGE_FOLLOWUPS_BATCH", 16, 1, 500));
  consumer.claim_idle =
      std::chrono::milliseconds(Int("CAREBRIDGE_FOLLOWUPS_CLAIM_IDLE_MS", 60000, 100, 86400000));
  consumer.claim_interval =
      std::chrono::milliseconds(Int("CAREBRIDGE_FOLLOWUPS_CLAIM_INTERVAL_MS", 5000, 50, 3600000));
  consumer.requeue_interval =
      std::chrono::milliseconds(Int("CAREBRIDGE_FOLLOWUPS_REQUEUE_INTERVAL_MS", 1000, 10, 3600000));
  consumer.requeue_after =
      absl::Milliseconds(Int("CAREBRIDGE_FOLLOWUPS_REQUEUE_AFTER_MS", 30000, 10, 86400000));
  consumer.block = std::chrono::milliseconds(Int("CAREBRIDGE_FOLLOWUPS_BLOCK_MS", 1000, 10, 60000));
  redis_config.pool_size = consumer.threads + 4;

  PgPool pool(pg);
  if (absl::Status s = ApplyMigrations(pool, "followups", FollowUpsMigrations()); !s.ok()) {
    ExitWithConfigError(kProgram, s);
  }
  if (migrate_only) return 0;

  RedisClient redis(redis_config);
  // Refuse a Redis that could drop queued jobs; wait out one that cannot be reached yet.
  for (bool logged = false;; logged = true) {
    absl::Status durable = CheckRedisDurability(redis);
    if (durable.ok()) break;
    if (durable.code() == absl::StatusCode::kFailedPrecondition) {
      if (!allow_unsafe_redis) ExitWithConfigError(kProgram, durable);
      LogWarning("redis_unsafe_allowed");
      break;
    }
    if (!logged) LogWarning("redis_waiting");
    if (const int signal = WaitForTerminationSignalFor(std::chrono::seconds(1)); signal != 0) {
      LogInfo("shutting_down", {{"signal", signal}});
      return 0;
    }
  }

  auto clock = [] { return absl::Now(); };
  JobCounters counters;
  JobStore store(pool);
  GrpcCaseDirectory directory(
      inquiries_addr,
      std::chrono::milliseconds(Int("CAREBRIDGE_INQUIRIES_TIMEOUT_MS", 3000, 50, 60000)),
      internal_token);
  SmtpEmailSender email(smtp);
  HttpWebhookSender webhook(webhook_secret, webhook_timeout);
  std::unique_ptr<GrpcBookingDirectory> bookings;
  if (scheduling_addr != "none") {
    bookings = std::make_unique<GrpcBookingDirectory>(
        scheduling_addr,
        std::chrono::milliseconds(Int("CAREBRIDGE_SCHEDULING_TIMEOUT_MS", 3000, 50, 60000)),
        internal_token);
  }
  JobProcessor processor(store, directory, bookings.get(), email, webhook, processor_config, clock,
                         counters);
  QueueConsumer queue(redis, store, processor, consumer, clock);
  while (!queue.EnsureGroup().ok()) {
    if (const int signal = WaitForTerminationSignalFor(std::chrono::seconds(1)); signal != 0) {
      LogInfo("shutting_down", {{"signal", signal}});
      return 0;
    }
  }

  // Coordinators reach ListFollowUps / RetryFollowUp with their sessions (through the gateway).
  AuthenticatorConfig auth_config;
  auth_config.internal_token = internal_token;
  Authenticator auth(&redis, auth_config);
  if (auth.internal_open()) LogWarning("internal_rpcs_unauthenticated");
  FollowUpsGrpcService grpc_service(store, auth, clock, [&queue] { queue.Nudge(); });
  auto server = GrpcServer::Start(listen, {&grpc_service});
  if (!server.ok()) ExitWithConfigError(kProgram, server.status());
  auto metrics = MetricsServer::Start(
      metrics_listen, [&queue, &counters] { return queue.RenderMetrics(counters); });
  if (!metrics.ok()) ExitWithConfigError(kProgram, metrics.status());
  queue.Start();
  LogInfo("followups_started",
          {{"workers", consumer.threads}, {"metrics_port", (*metrics)->port()}});

  const int signal = WaitForTerminationSignal();
  LogInfo("shutting_down", {{"signal", signal}});
  queue.Stop();
  (*server)->Shutdown();
  metrics->reset();
  curl_global_cleanup();
  return 0;
}
