// bench/cases: ListCases latency over gRPC (carebridge-inquiries with a coordinator session) at a
// given number of generated cases: the first page and the page after 500 pages (page size 20),
// for a plain list and for a free-text search (a surname carried by 1.1% of cases); then
// GetCaseStats (the dashboard's overview figures).
//
//   carebridge_cases_bench <cases> [<samples>]     prints one line per measurement
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "tests/cases/cases_stack.h"

namespace {

using carebridge::testing::CasesStack;
using carebridge::testing::Context;
namespace v1 = carebridge::v1;

void Generate(CasesStack& stack, long count) {
  // 100 surnames, each on about 1% of the cases (surname042 on 1.1%, so that a search for it has
  // more than 500 pages of 20 at every size); created_at spread over two years; stages mixed.
  stack.Sql(absl::StrCat(R"sql(
INSERT INTO inquiries.cases (reference, stage, full_name, email, email_normalized, condition,
  contact_consent, privacy_policy_version, consented_at, created_at, updated_at, last_inquiry_at,
  country_of_residence, preferred_language)
SELECT 'CB-BENCH-' || n,
       (ARRAY['NEW','CONTACTED','QUALIFIED','QUOTE_SENT','LOST'])[1 + n % 5],
       'Patient' || n || ' ' || 'Surname' ||
         lpad((CASE WHEN n % 1000 = 0 THEN 42 ELSE n % 100 END)::text, 3, '0'),
       'patient' || n || '@bench.example', 'patient' || n || '@bench.example', 'stroke', true,
       '2026-01', t, t, t, t,
       (ARRAY['JP','US','DE','GB','FR'])[1 + n % 5], 'en'
FROM generate_series(1, )sql",
                         count, R"sql() AS n,
     LATERAL (SELECT timestamptz '2026-01-01' - (n || ' minutes')::interval AS t) AS ts)sql"));
  stack.Sql("ANALYZE inquiries.cases");
}

struct Figures {
  double p50_ms, p99_ms;
};

Figures Measure(CasesStack& stack, const std::string& token, const std::string& q, int samples,
                const std::string& page_token) {
  std::vector<double> ms;
  auto stub = stack.Inquiries();
  for (int i = 0; i < samples; ++i) {
    v1::ListCasesRequest request;
    request.set_q(q);
    request.set_page_size(20);
    request.set_page_token(page_token);
    v1::ListCasesResponse response;
    auto context = Context(token);
    const auto start = std::chrono::steady_clock::now();
    grpc::Status status = stub->ListCases(context.get(), request, &response);
    const auto end = std::chrono::steady_clock::now();
    if (!status.ok() || response.cases_size() == 0) {
      std::cerr << "ListCases failed or empty: " << status.error_message() << std::endl;
      std::exit(1);
    }
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)]};
}

std::string TokenAfterPages(CasesStack& stack, const std::string& token, const std::string& q,
                            int pages) {
  auto stub = stack.Inquiries();
  std::string page_token;
  for (int i = 0; i < pages; ++i) {
    v1::ListCasesRequest request;
    request.set_q(q);
    request.set_page_size(20);
    request.set_page_token(page_token);
    v1::ListCasesResponse response;
    auto context = Context(token);
    if (!stub->ListCases(context.get(), request, &response).ok()) return "";
    page_token = response.next_page_token();
    if (page_token.empty()) return "";
  }
  return page_token;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: carebridge_cases_bench <cases> [<samples>]" << std::endl;
    return 2;
  }
  const long cases = std::atol(argv[1]);
  const int samples = argc > 2 ? std::atoi(argv[2]) : 500;
  CasesStack& stack = CasesStack::Get();
  stack.CreateUser("bench@carebridge.test", "coordinator", "en", "bench-password-1");
  // The test stack's sessions last seconds: log in afresh before each measurement.
  const auto login = [&] { return stack.Login("bench@carebridge.test", "bench-password-1"); };
  const auto start = std::chrono::steady_clock::now();
  Generate(stack, cases);
  std::printf("generated %ld cases in %.1f s\n", cases,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  for (const std::string& q : {std::string(""), std::string("surname042")}) {
    const char* what = q.empty() ? "list  " : "search";
    Figures first = Measure(stack, login(), q, samples, "");
    std::printf("%s cases=%-8ld page=1    p50=%.2f ms p99=%.2f ms (n=%d)\n", what, cases,
                first.p50_ms, first.p99_ms, samples);
    const std::string after = TokenAfterPages(stack, login(), q, 500);
    if (after.empty()) {
      std::printf("%s cases=%-8ld page=501  (fewer than 501 pages of matches)\n", what, cases);
      continue;
    }
    Figures deep = Measure(stack, login(), q, samples, after);
    std::printf("%s cases=%-8ld page=501  p50=%.2f ms p99=%.2f ms (n=%d)\n", what, cases,
                deep.p50_ms, deep.p99_ms, samples);
  }
  // The overview's figures (Inquiries.GetCaseStats) at this size: 30 days in UTC, 90 in Tokyo.
  for (const auto& [zone, days] : {std::pair<std::string, int>{"UTC", 30}, {"Asia/Tokyo", 90}}) {
    const std::string token = login();
    auto stub = stack.Inquiries();
    std::vector<double> ms;
    for (int i = 0; i < samples; ++i) {
      v1::GetCaseStatsRequest request;
      request.set_time_zone(zone);
      request.set_days(days);
      v1::CaseStats response;
      auto context = Context(token);
      const auto begin = std::chrono::steady_clock::now();
      grpc::Status status = stub->GetCaseStats(context.get(), request, &response);
      const auto end = std::chrono::steady_clock::now();
      if (!status.ok()) {
        std::cerr << "GetCaseStats failed: " << status.error_message() << std::endl;
        std::exit(1);
      }
      ms.push_back(std::chrono::duration<double, std::milli>(end - begin).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("stats  cases=%-8ld %s %d days p50=%.2f ms p99=%.2f ms (n=%d)\n", cases,
                zone.c_str(), days, ms[ms.size() / 2],
                ms[std::min(ms.size() - 1, ms.size() * 99 / 100)], samples);
  }
  std::fflush(stdout);
  stack.Stop();  // nothing outlives the benchmark
  return 0;
}
