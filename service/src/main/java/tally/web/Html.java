package tally.web;

/**
 * Markup that is already safe to put in a page: the only value a {@link Template} inserts without
 * escaping. Only our own renderers (templates, charts) make one; user data never becomes Html unescaped.
 */
public record Html(String markup) {

    /** Escapes text for HTML element content and quoted attribute values (and for SVG, which is XML). */
    public static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            String replacement = switch (text.charAt(i)) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (replacement != null) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(replacement);
            } else if (out != null) {
                out.append(text.charAt(i));
            }
        }
        return out == null ? text : out.toString();
    }

    @Override
    public String toString() {
        return markup;
    }
}
