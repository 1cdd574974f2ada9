package tally.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TemplateTest {

    record Term(String term, long count) {}

    @Test
    void values_are_escaped_by_default() {
        Template template = Template.parse("t", "<p title=\"{{name}}\">{{name}}</p>");

        String out = template.render(Map.of("name", "<script>alert(\"x\")</script> & 'y'")).markup();

        assertThat(out).isEqualTo("<p title=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;\">"
                + "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</p>");
    }

    @Test
    void only_html_values_are_inserted_as_they_are() {
        Template template = Template.parse("t", "<main>{{body}}</main>");

        assertThat(template.render(Map.of("body", new Html("<b>bold</b>"))).markup()).isEqualTo("<main><b>bold</b></main>");
    }

    @Test
    void triple_braces_are_refused_so_raw_output_cannot_sneak_into_a_template() {
        assertThatThrownBy(() -> Template.parse("t", "{{{name}}}")).hasMessageContaining("raw output");
        assertThatThrownBy(() -> Template.parse("t", "{{&name}}")).hasMessageContaining("raw output");
    }

    @Test
    void sections_repeat_over_lists_of_records_and_see_outer_names() {
        Template template = Template.parse("t", "{{#terms}}{{term}}={{count}}{{unit}};{{/terms}}");

        String out = template.render(Map.of(
                "terms", List.of(new Term("a<b", 2), new Term("c", 1)), "unit", "x")).markup();

        assertThat(out).isEqualTo("a&lt;b=2x;c=1x;");
    }

    @Test
    void inverted_sections_show_when_the_value_is_empty_false_or_null() {
        Template template = Template.parse("t", "{{#items}}[{{.}}]{{/items}}{{^items}}none{{/items}}");

        assertThat(template.render(Map.of("items", List.of())).markup()).isEqualTo("none");
        assertThat(template.render(Map.of("items", false)).markup()).isEqualTo("none");
        assertThat(template.render(Map.of("items", List.of("a", "b"))).markup()).isEqualTo("[a][b]");
        assertThat(template.render(new java.util.HashMap<>(java.util.Collections.singletonMap("items", null))).markup())
                .isEqualTo("none");
    }

    @Test
    void a_name_found_nowhere_fails_the_render_instead_of_printing_nothing() {
        Template template = Template.parse("page.html", "{{nmae}}");

        assertThatThrownBy(() -> template.render(Map.of("name", "x")))
                .hasMessageContaining("page.html").hasMessageContaining("nmae");
    }

    @Test
    void a_section_left_open_or_closed_twice_is_a_parse_error() {
        assertThatThrownBy(() -> Template.parse("t", "{{#a}}x")).hasMessageContaining("never closed");
        assertThatThrownBy(() -> Template.parse("t", "{{#a}}x{{/b}}")).hasMessageContaining("closes nothing");
    }

    @Test
    void dotted_names_reach_into_maps_and_comments_vanish() {
        Template template = Template.parse("t", "{{! note }}{{assets.css}}");

        assertThat(template.render(Map.of("assets", Map.of("css", "/static/a.css?v=1"))).markup())
                .isEqualTo("/static/a.css?v=1");
    }
}
