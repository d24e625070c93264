// Which language a public page is shown in. The contact form and its thank-you page exist in
// English (web/contact.html, the default) and in the other languages of kPageLanguages
// (web/contact.<lang>.html). A visitor picks one with `?lang=` (the pages' language switch); the
// form carries it on as its hidden `lang` input, so a re-rendered form and the thank-you page
// keep it; without one, the browser's Accept-Language decides. Pure functions; thread-safe.
#pragma once

#include <string_view>

namespace carebridge::gateway {

// The languages of the public pages, the default first.
inline constexpr std::string_view kPageLanguages[] = {"en", "ja"};

// The query or form input that names the page language.
inline constexpr std::string_view kPageLanguageInput = "lang";

// The page language: `requested` (a `lang` value) when it is one of kPageLanguages; else the
// first language of `accept_language` (an Accept-Language value: "ja-JP,ja;q=0.9,en;q=0.8")
// with the highest q > 0 whose primary subtag is one of them; else the default, "en".
std::string_view ChoosePageLanguage(std::string_view requested, std::string_view accept_language);

}  // namespace carebridge::gateway
