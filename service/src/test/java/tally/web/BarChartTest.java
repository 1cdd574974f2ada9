package tally.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class BarChartTest {

    private final BarChart chart = new BarChart(new Templates(BarChartTest.class.getClassLoader()));

    @Test
    void axis_tops_are_one_two_or_five_times_a_power_of_ten() {
        assertThat(BarChart.niceCeiling(0)).isZero();
        assertThat(BarChart.niceCeiling(1)).isEqualTo(1);
        assertThat(BarChart.niceCeiling(7)).isEqualTo(10);
        assertThat(BarChart.niceCeiling(13)).isEqualTo(20);
        assertThat(BarChart.niceCeiling(201)).isEqualTo(500);
        assertThat(BarChart.niceCeiling(1_000)).isEqualTo(1_000);
        assertThat(BarChart.niceCeiling(1_000_001)).isEqualTo(2_000_000);
    }

    @Test
    void the_tallest_bar_fills_the_plot_and_labels_are_escaped() {
        String svg = chart.render("w", "By weekday", "caption", List.of(
                new BarChart.Bar("Mon", 50), new BarChart.Bar("<b>", 100))).markup();

        assertThat(svg).contains("<rect class=\"bar\" x=").contains("height=\"174.0\"").contains("height=\"87.0\"");
        assertThat(svg).contains("&lt;b&gt;").doesNotContain("<b>");
        assertThat(svg).contains("<title>Mon: 50</title>");
    }

    @Test
    void an_empty_chart_says_so_instead_of_dividing_by_zero() {
        String svg = chart.render("e", "Empty", "Nothing here.", List.of(new BarChart.Bar("Mon", 0))).markup();

        assertThat(svg).contains("No rows to draw.").contains("height=\"0.0\"");
    }
}
