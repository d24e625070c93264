// carebridge_followups_bench: the follow-ups pipeline end to end on a private PostgreSQL, Redis and
// SMTP sink (the test harness), driven by bench/followups/run.
//
//  1. steady rate: BENCH_RATE inquiries/s for BENCH_SECONDS through carebridge-inquiries (relay
//     on); prints the delay from each inquiry's commit (its CreateInquiry reply) to its
//     acknowledgement landing in the sink's Maildir (file mtime): p50, p99, max; and the same for
//     the coordinator alert, which waits behind acknowledgements (the urgent lane) when the pool
//     falls behind.
//  2. saturation: BENCH_SATURATION_INQUIRIES inquiries queued while the worker is stopped, then one
//     carebridge-followups with BENCH_WORKER_THREADS threads drains them; prints jobs/s.
//  3. redis-benchmark XADD on the same Redis, for comparison.
#include <sys/stat.h>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <pqxx/pqxx>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "carebridge/v1/inquiries.grpc.pb.h"
#include "services/common/grpc_server.h"
#include "tests/harness/child_process.h"
#include "tests/harness/net.h"
#include "tests/harness/postgres_server.h"
#include "tests/harness/redis_server.h"
#include "tests/harness/smtp_sink.h"
#include "tests/harness/test_env.h"

namespace {

// CAREBRIDGE_INTERNAL_TOKEN of both processes (the worker presents it to Inquiries).
constexpr char kBenchToken[] = "bench-internal-token-0123456789";

using namespace carebridge::testing;
using Env = std::vector<std::pair<std::string, std::string>>;

long long EnvNumber(const char* name, long long fallback) {
  long long value = fallback;
  if (const char* raw = std::getenv(name)) (void)absl::SimpleAtoi(raw, &value);
  return value;
}

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "bench: " << what << std::endl;
  std::exit(1);
}

template <typename T>
T Must(absl::StatusOr<T> value, const std::string& what) {
  if (!value.ok()) Die(what + ": " + std::string(value.status().message()));
  return *std::move(value);
}

// One connection for all the driver's polling: a new connection per poll is a new backend
// process, which would load the machine the benchmark is measuring.
long long Count(const std::string& uri, const std::string& sql) {
  static std::map<std::string, std::unique_ptr<pqxx::connection>> connections;
  std::unique_ptr<pqxx::connection>& connection = connections[uri];
  if (connection == nullptr) connection = std::make_unique<pqxx::connection>(uri);
  pqxx::nontransaction tx(*connection);
  return tx.exec(sql)[0][0].as<long long>();
}

bool WaitFor(const std::function<bool()>& done, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

// Creates inquiries with emails "<prefix><i>@example.com", i in [0, count), from `threads` client
// threads; paced to `rate` per second when rate > 0. Returns reference -> reply time.
std::map<std::string, absl::Time> Create(const std::string& address, const std::string& prefix,
                                         int count, int threads, double rate) {
  std::map<std::string, absl::Time> replied;
  std::mutex mu;
  std::atomic<int> next{0}, failed{0};
  const absl::Time start = absl::Now();
  std::vector<std::thread> clients;
  for (int c = 0; c < threads; ++c) {
    clients.emplace_back([&] {
      auto stub = carebridge::v1::Inquiries::NewStub(
          grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
      for (int i = next++; i < count; i = next++) {
        if (rate > 0) {
          const absl::Time slot = start + absl::Seconds(i / rate);
          if (slot > absl::Now()) absl::SleepFor(slot - absl::Now());
        }
        carebridge::v1::CreateInquiryRequest request;
        auto* in = request.mutable_inquiry();
        in->set_full_name("Bench Patient");
        in->set_email(absl::StrCat(prefix, i, "@example.com"));
        in->set_condition("stroke");
        in->set_contact_consent(true);
        in->set_privacy_policy_version("2026-01");
        carebridge::v1::CreateInquiryResponse response;
        auto context = carebridge::NewClientContext(std::chrono::seconds(10));
        if (!stub->CreateInquiry(context.get(), request, &response).ok()) {
          ++failed;
          continue;
        }
        const absl::Time now = absl::Now();
        std::lock_guard<std::mutex> lock(mu);
        replied[response.reference()] = now;
      }
    });
  }
  for (auto& t : clients) t.join();
  if (failed > 0) Die(absl::StrCat(failed.load(), " inquiries failed"));
  return replied;
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p * values.size()))];
}

}  // namespace

int main() {
  const double rate = static_cast<double>(EnvNumber("BENCH_RATE", 350));
  const int seconds = static_cast<int>(EnvNumber("BENCH_SECONDS", 20));
  const int saturation = static_cast<int>(EnvNumber("BENCH_SATURATION_INQUIRIES", 2000));
  const std::string worker_threads = std::to_string(EnvNumber("BENCH_WORKER_THREADS", 4));

  auto pg = Must(PostgresServer::Start(), "PostgreSQL");
  auto redis = Must(RedisServer::Start(), "Redis");
  auto sink = Must(SmtpSink::Start(), "SMTP sink");
  const std::string dir = TempDir();
  const int inquiries_port = FreePort();
  const std::string inquiries_addr = absl::StrCat("127.0.0.1:", inquiries_port);
  auto inquiries = Must(ChildProcess::Spawn(CAREBRIDGE_INQUIRIES_BIN, {},
                                            {{"CAREBRIDGE_PG_URI", pg->uri()},
                                             {"CAREBRIDGE_REDIS_ADDR", redis->address()},
                                             {"CAREBRIDGE_INQUIRIES_LISTEN", inquiries_addr},
                                             {"CAREBRIDGE_INTERNAL_TOKEN", kBenchToken},
                                             {"CAREBRIDGE_OUTBOX_RELAY_INTERVAL_MS", "20"}},
                                            dir + "/inquiries.log"),
                        "carebridge-inquiries");
  if (!WaitForTcpPort(inquiries_port, std::chrono::seconds(20)).ok())
    Die("inquiries did not start");
  auto start_worker = [&] {
    const int port = FreePort();
    auto worker =
        Must(ChildProcess::Spawn(CAREBRIDGE_FOLLOWUPS_BIN, {},
                                 {{"CAREBRIDGE_PG_URI", pg->uri()},
                                  {"CAREBRIDGE_REDIS_ADDR", redis->address()},
                                  {"CAREBRIDGE_INQUIRIES_ADDR", inquiries_addr},
                                  {"CAREBRIDGE_INTERNAL_TOKEN", kBenchToken},
                                  {"CAREBRIDGE_FOLLOWUPS_LISTEN", absl::StrCat("127.0.0.1:", port)},
                                  {"CAREBRIDGE_FOLLOWUPS_METRICS_LISTEN", "127.0.0.1:0"},
                                  {"CAREBRIDGE_FOLLOWUPS_WORKERS", worker_threads},
                                  {"CAREBRIDGE_FOLLOWUPS_BLOCK_MS", "200"},
                                  {"CAREBRIDGE_LOG_LEVEL", "warning"},
                                  {"CAREBRIDGE_SMTP_URL", sink->url()}},
                                 dir + "/followups.log"),
             "carebridge-followups");
    if (!WaitForTcpPort(port, std::chrono::seconds(20)).ok()) Die("followups did not start");
    return worker;
  };

  // 1. Steady rate.
  auto worker = start_worker();
  const int steady = static_cast<int>(rate * seconds);
  const auto replied = Create(inquiries_addr, "steady", steady, 8, rate);
  const std::string done_jobs =
      "SELECT count(*) FROM followups.jobs WHERE kind IN ('ACKNOWLEDGEMENT_EMAIL', "
      "'COORDINATOR_ALERT') AND state = 'DONE'";
  if (!WaitFor([&] { return Count(pg->uri(), done_jobs) >= 2LL * steady; },
               std::chrono::seconds(120))) {
    Die("acknowledgements and alerts did not all arrive");
  }
  std::map<std::string, std::vector<double>> delays_ms;  // by kind
  for (const auto& entry : std::filesystem::directory_iterator(sink->maildir() + "/new")) {
    struct stat st {};
    if (stat(entry.path().c_str(), &st) != 0) continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    SmtpMessage message{text.str()};
    auto it = replied.find(message.Header("X-CareBridge-Reference"));
    if (it == replied.end()) continue;
    const absl::Time arrived = absl::TimeFromTimespec(st.st_mtim);
    delays_ms[message.Header("X-CareBridge-Kind")].push_back(
        absl::ToDoubleMilliseconds(arrived - it->second));
  }
  const std::vector<double>& acks = delays_ms["ACKNOWLEDGEMENT_EMAIL"];
  const std::vector<double>& alerts = delays_ms["COORDINATOR_ALERT"];
  std::printf("%-52s %10s\n", "measure", "value");
  std::printf("%-52s %10.0f\n", "steady rate, inquiries/s (offered)", rate);
  std::printf("%-52s %10zu\n", "acknowledgements measured", acks.size());
  std::printf("%-52s %10.1f\n", "commit -> acknowledgement in sink, p50 ms", Percentile(acks, 0.5));
  std::printf("%-52s %10.1f\n", "commit -> acknowledgement in sink, p99 ms",
              Percentile(acks, 0.99));
  std::printf("%-52s %10.1f\n", "commit -> acknowledgement in sink, max ms", Percentile(acks, 1.0));
  std::printf("%-52s %10s\n", "target p99 < 1000 ms at this rate",
              Percentile(acks, 0.99) < 1000 ? "met" : "NOT met");
  std::printf("%-52s %10.1f\n", "commit -> coordinator alert in sink, p50 ms",
              Percentile(alerts, 0.5));
  std::printf("%-52s %10.1f\n", "commit -> coordinator alert in sink, p99 ms",
              Percentile(alerts, 0.99));

  // 2. Saturation: queue everything first, then let one worker process drain it.
  worker->Terminate();
  const long long done_before =
      Count(pg->uri(), "SELECT count(*) FROM followups.jobs WHERE state = 'DONE'");
  Create(inquiries_addr, "burst", saturation, 8, 0);
  if (!WaitFor(
          [&] {
            return Count(pg->uri(),
                         "SELECT count(*) FROM inquiries.outbox WHERE sent_at IS NULL AND "
                         "due_at <= now()") == 0;
          },
          std::chrono::seconds(60))) {
    Die("the relay did not empty the outbox");
  }
  const auto t0 = std::chrono::steady_clock::now();
  worker = start_worker();
  const long long target = done_before + 2LL * saturation;
  if (!WaitFor(
          [&] {
            return Count(pg->uri(), "SELECT count(*) FROM followups.jobs WHERE state = 'DONE'") >=
                   target;
          },
          std::chrono::seconds(300))) {
    Die("the worker did not drain the queue");
  }
  const double drain = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%-52s %10d\n", "saturation: jobs queued (2 per inquiry)", 2 * saturation);
  std::printf(
      "%-52s %10.0f\n",
      absl::StrCat("saturation: jobs/s, 1 worker x ", worker_threads, " threads (incl. start)")
          .c_str(),
      2 * saturation / drain);
  worker->Terminate();
  inquiries->Terminate();

  // 3. Redis' own XADD rate on the same server.
  const std::string out_path = dir + "/redis-benchmark.out";
  auto bench =
      Must(ChildProcess::Spawn("/usr/bin/redis-benchmark",
                               {"-h", "127.0.0.1", "-p", std::to_string(redis->port()), "-n",
                                "100000", "-c", "50", "-q", "XADD", "bench:xadd", "*", "f", "v"},
                               {}, out_path),
           "redis-benchmark");
  bench->Wait(std::chrono::seconds(120));
  const std::string out = ReadFileTail(out_path, 4096);
  const std::string last =
      out.substr(out.rfind("XADD") == std::string::npos ? 0 : out.rfind("XADD"));
  const std::string xadd_rate = NumberBefore(last, " requests per second");
  if (!xadd_rate.empty()) {
    std::printf("%-52s %10s\n", "redis-benchmark XADD, requests/s (50 clients)", xadd_rate.c_str());
  } else {
    std::printf("redis-benchmark output: %s\n", out.c_str());
  }
  return 0;
}
