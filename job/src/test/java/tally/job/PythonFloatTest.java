package tally.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
class PythonFloatTest {

    // Expected strings are what CPython prints for '%.12g' % x, plus '.0' when it looks like an integer.
    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource(delimiter = '|', value = {
        "0.0                | 0.0",
        "21.0               | 21.0",
        "5.25               | 5.25",
        "7.333333333333333  | 7.33333333333",
        "2.3333333333333335 | 2.33333333333",
        "1.6666666666666667 | 1.66666666667",
        "5e-05              | 5e-05",
        "1e12               | 1e+12",
        "1e-05              | 1e-05",
        "123456789012.0     | 123456789012.0",
        "1.23456789012e+11  | 123456789012.0",
        "1234567890123.0    | 1.23456789012e+12",
        "0.0001             | 0.0001",
        "0.00012345         | 0.00012345",
        "9.9999999999999e-05| 0.0001",
        "999999999999.5     | 1e+12",
        "999999999999.4     | 999999999999.0",
        "0.1                | 0.1",
        "0.3333333333333333 | 0.333333333333",
        "100.0              | 100.0",
        "1e22               | 1e+22",
        "-1.5               | -1.5",
        "2.5e-07            | 2.5e-07",
    })
    void formats_like_python_2_str(double value, String expected) {
        assertThat(PythonFloat.format(value)).isEqualTo(expected);
    }

    @Test
    void quotients_of_the_row_match_the_spec_examples() {
        assertThat(PythonFloat.format(22.0 / 3)).isEqualTo("7.33333333333");
        assertThat(PythonFloat.format(7.0 / 3)).isEqualTo("2.33333333333");
        assertThat(PythonFloat.format(5.0 / 3)).isEqualTo("1.66666666667");
        assertThat(PythonFloat.format(1.0 / 20000)).isEqualTo("5e-05");
    }

    @Test
    void special_values_print_as_python_does() {
        assertThat(PythonFloat.format(Double.NaN)).isEqualTo("nan");
        assertThat(PythonFloat.format(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(PythonFloat.format(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(PythonFloat.format(-0.0)).isEqualTo("-0.0");
    }
}
