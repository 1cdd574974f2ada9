package tally.job;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Floats as Python 2's {@code str(float)} printed them (docs/stats-contract.md, "The row"): C's {@code %.12g}, then
 * {@code .0} appended when the result looks like an integer. Written by hand because Java's
 * {@code %.12g} keeps trailing zeros and picks the exponent form differently.
 */
final class PythonFloat {
    private static final int DIGITS = 12;
    private static final MathContext TWELVE = new MathContext(DIGITS, RoundingMode.HALF_EVEN);
    private static final double EXPONENT_FROM = 1e12;

    private PythonFloat() {
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0.0" : "0.0";
        }
        if (v == Math.rint(v) && Math.abs(v) < EXPONENT_FROM) {
            return (long) v + ".0";
        }
        // new BigDecimal(double) is the exact binary value; glibc rounds that exact value half-even.
        BigDecimal rounded = new BigDecimal(v).round(TWELVE);
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= DIGITS) {
            String digits = rounded.unscaledValue().abs().toString();
            int last = digits.length();
            while (last > 1 && digits.charAt(last - 1) == '0') {
                last--;
            }
            StringBuilder s = new StringBuilder(24);
            if (v < 0) {
                s.append('-');
            }
            s.append(digits.charAt(0));
            if (last > 1) {
                s.append('.').append(digits, 1, last);
            }
            s.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                s.append('0');
            }
            return s.append(abs).toString();
        }
        String plain = rounded.stripTrailingZeros().toPlainString();
        return plain.indexOf('.') < 0 ? plain + ".0" : plain;
    }
}
