#include "gateway/html_template.h"

#include <gtest/gtest.h>

namespace carebridge::gateway {
namespace {

TEST(HtmlEscapeTest, EscapesMarkupAndQuotes) {
  EXPECT_EQ(HtmlEscape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
  EXPECT_EQ(HtmlEscape("plain 日本語"), "plain 日本語");
  EXPECT_EQ(HtmlEscape(""), "");
}

TEST(HtmlTemplateTest, FillsEscapedAndRawPlaceholders) {
  auto page = HtmlTemplate::Parse(
      "<p title=\"{{ title }}\">{{name}}</p><ul>{{{items}}}</ul>{{missing}}<i>{{name}}</i>");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->Render({{"title", "a\"b"}, {"name", "<b>"}}, {{"items", "<li>x</li>"}}),
            "<p title=\"a&quot;b\">&lt;b&gt;</p><ul><li>x</li></ul><i>&lt;b&gt;</i>");
}

TEST(HtmlTemplateTest, RawValuesAreNotTakenFromEscapedOnesAndViceVersa) {
  auto page = HtmlTemplate::Parse("{{{a}}}|{{a}}");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->Render({{"a", "<x>"}}), "|&lt;x&gt;");
  EXPECT_EQ(page->Render({}, {{"a", "<x>"}}), "<x>|");
}

TEST(HtmlTemplateTest, RejectsUnclosedOrEmptyPlaceholders) {
  EXPECT_FALSE(HtmlTemplate::Parse("<p>{{name</p>").ok());
  EXPECT_FALSE(HtmlTemplate::Parse("<p>{{ }}</p>").ok());
  EXPECT_FALSE(HtmlTemplate::Parse("<p>{{{raw}}</p>").ok());
  EXPECT_TRUE(HtmlTemplate::Parse("no placeholders } here").ok());
}

TEST(HtmlTemplateTest, LabelTextsNameTheFields) {
  auto page = HtmlTemplate::Parse(
      "<label for=\"email\">Email <span>(required)</span></label><input id=\"email\">"
      "<label for=\"phone\">\n  Phone\n</label>"
      "<fieldset><legend id=\"cell_source-legend\">Preferred cell source</legend></fieldset>");
  ASSERT_TRUE(page.ok());
  const auto labels = page->LabelTexts();
  EXPECT_EQ(labels.at("email"), "Email");
  EXPECT_EQ(labels.at("phone"), "Phone");
  EXPECT_EQ(labels.at("cell_source"), "Preferred cell source");
  EXPECT_EQ(labels.size(), 3u);
}

}  // namespace
}  // namespace carebridge::gateway
