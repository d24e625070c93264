// One HTTP exchange as HttpServer hands it over, independent of the server library, so request
// handling (the gateway's, the follow-ups metrics) can be tested without sockets. Header names are
// lower-case. Plain values.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace carebridge {

struct HttpRequest {
  std::string method;                                        // "GET", "POST", ...
  std::string target;                                        // "/v1/clinics?country=JP"
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  std::string peer_ip;  // the socket peer's address

  // The first value of header `name` (lower-case), or "".
  std::string Header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  // Besides Content-Type and Content-Length. A name may repeat (Set-Cookie); each is sent.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type;
  std::string body;

  // Replaces the header `name` (any case) or adds it.
  void SetHeader(std::string name, std::string value);
};

// The media type of a Content-Type value, lower-cased and without parameters
// ("Application/JSON; charset=utf-8" -> "application/json").
std::string MediaType(std::string_view content_type);

// True when an Accept header ranks text/html above application/json, as browsers' defaults do
// ("text/html,...,*/*;q=0.8"); false for "*/*", "application/json" or no header.
bool PrefersHtml(std::string_view accept);

}  // namespace carebridge
