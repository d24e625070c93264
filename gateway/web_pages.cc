#include "gateway/web_pages.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gateway/field_setter.h"
#include "services/common/request_id.h"

namespace carebridge::gateway {
namespace {

using google::protobuf::FieldDescriptor;

// The only files served under /static/, with their content types.
constexpr std::pair<std::string_view, std::string_view> kStaticFiles[] = {
    {"style.css", "text/css; charset=utf-8"},
    {"book.js", "text/javascript; charset=utf-8"},
    {"contact.js", "text/javascript; charset=utf-8"},
};

constexpr std::string_view kHtmlPageType = "text/html; charset=utf-8";
constexpr std::string_view kCssType = "text/css; charset=utf-8";
constexpr std::string_view kScriptType = "text/javascript; charset=utf-8";

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read web file ", path));
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

// The content type of a dashboard asset, by extension; "" for a file the dashboard does not serve.
std::string_view DashboardAssetType(std::string_view name) {
  if (name.ends_with(".js")) return kScriptType;
  if (name.ends_with(".css")) return kCssType;
  return "";
}

// The dashboard's assets: every .js and .css file under `root` (recursively, by their paths
// relative to it with '/' separators), except the unit tests under tests/. Read once at start, so
// the set of files served is fixed then and no request path ever reaches the file system.
absl::StatusOr<std::map<std::string, StaticFile, std::less<>>> LoadDashboardAssets(
    const std::string& root) {
  std::map<std::string, StaticFile, std::less<>> assets;
  std::error_code error;
  std::filesystem::recursive_directory_iterator it(root, error), end;
  if (error) return absl::NotFoundError(absl::StrCat("cannot list web directory ", root));
  for (; it != end; it.increment(error)) {
    if (error) return absl::NotFoundError(absl::StrCat("cannot list web directory ", root));
    const std::string name = std::filesystem::relative(it->path(), root, error).generic_string();
    if (it->is_directory() && name == "tests") {
      it.disable_recursion_pending();
      continue;
    }
    const std::string_view type = DashboardAssetType(name);
    if (!it->is_regular_file() || type.empty()) continue;
    auto body = ReadFile(it->path().string());
    if (!body.ok()) return body.status();
    assets[name] = StaticFile{std::string(type), *std::move(body)};
  }
  return assets;
}

absl::StatusOr<std::unique_ptr<HtmlTemplate>> LoadTemplate(const std::string& dir,
                                                           std::string_view name) {
  const std::string path = absl::StrCat(dir, "/", std::string(name));
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  auto parsed = HtmlTemplate::Parse(*text);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", parsed.status().message()));
  }
  return std::make_unique<HtmlTemplate>(*std::move(parsed));
}

// The file of page `name` ("contact") in `language`: contact.html for the default language,
// contact.ja.html for Japanese.
std::string LocalizedFile(std::string_view name, std::string_view language) {
  return language == kPageLanguages[0]
             ? absl::StrCat(std::string(name), ".html")
             : absl::StrCat(std::string(name), ".", std::string(language), ".html");
}

// The value of the last `lang` input in `submitted`, or "".
std::string_view RequestedLanguage(const FormPairs& submitted) {
  std::string_view requested;
  for (const auto& [name, value] : submitted) {
    if (name == kPageLanguageInput) requested = value;
  }
  return requested;
}

// A response field as page text: strings as they are, enums by value name, numbers in decimal.
std::string FieldText(const google::protobuf::Message& message, const FieldDescriptor* field) {
  const auto* reflection = message.GetReflection();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return reflection->GetString(message, field);
    case FieldDescriptor::CPPTYPE_ENUM:
      return reflection->GetEnum(message, field)->name();
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(reflection->GetInt32(message, field));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(reflection->GetInt64(message, field));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(reflection->GetUInt32(message, field));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(reflection->GetUInt64(message, field));
    case FieldDescriptor::CPPTYPE_BOOL:
      return reflection->GetBool(message, field) ? "true" : "false";
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return absl::StrCat(reflection->GetDouble(message, field));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(reflection->GetFloat(message, field));
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return "";
  }
  return "";
}

}  // namespace

absl::StatusOr<std::unique_ptr<WebPages>> WebPages::Load(const std::string& dir,
                                                         const RouteTable& routes) {
  std::unique_ptr<WebPages> pages(new WebPages());
  for (const Route& route : routes.routes()) {
    if (route.http_method == "POST" && route.method->full_name() == kFormMethod) {
      pages->form_route_ = &route;
      break;
    }
  }
  if (pages->form_route_ == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("no POST route for ", std::string(kFormMethod)));
  }
  const std::string& body = pages->form_route_->body;
  pages->form_type_ = pages->form_route_->method->input_type();
  if (!body.empty() && body != "*") {
    pages->form_type_ = pages->form_type_->FindFieldByName(body)->message_type();
    pages->body_prefix_ = absl::StrCat(body, ".");
  }
  if (pages->form_type_ == nullptr) {
    return absl::FailedPreconditionError("the form's body field is not a message");
  }

  for (std::string_view language : kPageLanguages) {
    LocalizedPages& localized = pages->localized_[language];
    auto contact = LoadTemplate(dir, LocalizedFile("contact", language));
    if (!contact.ok()) return contact.status();
    localized.contact = *std::move(contact);
    localized.labels = localized.contact->LabelTexts();
    auto thanks = LoadTemplate(dir, LocalizedFile("thanks", language));
    if (!thanks.ok()) return thanks.status();
    localized.thanks = *std::move(thanks);
    auto error = LoadTemplate(dir, LocalizedFile("error", language));
    if (!error.ok()) return error.status();
    localized.error = *std::move(error);
  }
  auto book = ReadFile(absl::StrCat(dir, "/book.html"));
  if (!book.ok()) return book.status();
  pages->book_page_ = *std::move(book);

  for (const auto& [name, content_type] : kStaticFiles) {
    auto body_text = ReadFile(absl::StrCat(dir, "/static/", std::string(name)));
    if (!body_text.ok()) return body_text.status();
    pages->static_files_[std::string(name)] =
        StaticFile{std::string(content_type), *std::move(body_text)};
  }

  auto dashboard = ReadFile(absl::StrCat(dir, "/dashboard/index.html"));
  if (!dashboard.ok()) return dashboard.status();
  pages->dashboard_page_ = StaticFile{std::string(kHtmlPageType), *std::move(dashboard)};
  auto assets = LoadDashboardAssets(absl::StrCat(dir, "/dashboard"));
  if (!assets.ok()) return assets.status();
  pages->dashboard_files_ = *std::move(assets);
  return pages;
}

const WebPages::LocalizedPages& WebPages::PagesIn(std::string_view language) const {
  return localized_.at(language);
}

std::string WebPages::RenderForm(const FormPairs& submitted,
                                 const std::vector<FieldViolation>& violations,
                                 std::string_view accept_language) const {
  const LocalizedPages& pages =
      PagesIn(ChoosePageLanguage(RequestedLanguage(submitted), accept_language));
  TemplateValues values;
  for (int i = 0; i < form_type_->field_count(); ++i) {
    const FieldDescriptor* field = form_type_->field(i);
    if (field->is_repeated() || field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) continue;
    values[absl::StrCat("invalid.", field->name())] = "false";
    // The last value posted under the field's proto or JSON name, kept exactly as typed.
    const std::string* raw = nullptr;
    for (const auto& [name, value] : submitted) {
      if (CanonicalFieldPath(form_type_, name) == field->name()) raw = &value;
    }
    if (raw == nullptr || raw->empty()) continue;
    values[field->name()] = *raw;
    std::string choice(absl::StripAsciiWhitespace(*raw));
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
      for (int k = 0; k < field->enum_type()->value_count(); ++k) {
        if (absl::EqualsIgnoreCase(field->enum_type()->value(k)->name(), choice)) {
          choice = field->enum_type()->value(k)->name();
        }
      }
    }
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_BOOL) {
      if (ParseBoolText(choice).value_or(false)) {
        values[absl::StrCat("checked.", field->name())] = "checked";
      }
      continue;
    }
    values[absl::StrCat("selected.", field->name(), ".", choice)] = "selected";
    values[absl::StrCat("checked.", field->name(), ".", choice)] = "checked";
  }
  // Query parameters such as utm_source come in through `submitted` too; only an idempotency key
  // made here is ever put in the form.
  values[std::string(kIdempotencyKeyInput)] = NewRequestId();

  std::string items;
  for (const FieldViolation& violation : violations) {
    std::string path = violation.field;
    if (!body_prefix_.empty() && absl::StartsWith(path, body_prefix_)) {
      path = path.substr(body_prefix_.size());
    }
    const std::string field = CanonicalFieldPath(form_type_, path);
    const bool on_form = !field.empty() && field.find('.') == std::string::npos;
    if (on_form) {
      std::string& error = values[absl::StrCat("error.", field)];
      error =
          error.empty() ? violation.description : absl::StrCat(error, " ", violation.description);
      values[absl::StrCat("invalid.", field)] = "true";
    }
    const auto label = pages.labels.find(on_form ? field : path);
    // The label is page text as written in the template; the rest is escaped here.
    absl::StrAppend(&items, "<li><a href=\"#", on_form ? HtmlEscape(field) : "contact-form", "\">",
                    label != pages.labels.end() ? label->second : HtmlEscape(path), ": ",
                    HtmlEscape(violation.description), "</a></li>");
  }
  if (violations.empty()) values["summary_hidden"] = "hidden";
  return pages.contact->Render(values, {{"error_items", items}});
}

std::string WebPages::RenderThanks(const google::protobuf::Message& response,
                                   const FormPairs& submitted) const {
  TemplateValues values;
  const auto* descriptor = response.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (field->is_repeated()) continue;
    values[field->name()] = FieldText(response, field);
  }
  // The language the form was in; never Accept-Language: the visitor saw the form in this one.
  return PagesIn(ChoosePageLanguage(RequestedLanguage(submitted), "")).thanks->Render(values);
}

std::string WebPages::RenderError(int http_status, int retry_after_seconds,
                                  std::string_view request_id, const FormPairs& submitted) const {
  TemplateValues values;
  values["status"] = absl::StrCat(http_status);
  values["request_id"] = std::string(request_id);
  if (retry_after_seconds > 0) {
    values["retry_after"] = absl::StrCat(retry_after_seconds);
  } else {
    values["retry_hidden"] = "hidden";
  }
  return PagesIn(ChoosePageLanguage(RequestedLanguage(submitted), "")).error->Render(values);
}

const StaticFile* WebPages::FindStatic(std::string_view name) const {
  auto it = static_files_.find(name);
  return it == static_files_.end() ? nullptr : &it->second;
}

std::vector<std::string> WebPages::DashboardAssetNames() const {
  std::vector<std::string> names;
  for (const auto& [name, file] : dashboard_files_) names.push_back(name);
  return names;
}

const StaticFile* WebPages::FindDashboardAsset(std::string_view name) const {
  auto it = dashboard_files_.find(name);
  return it == dashboard_files_.end() ? nullptr : &it->second;
}

}  // namespace carebridge::gateway
