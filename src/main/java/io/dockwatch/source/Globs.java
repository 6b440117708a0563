package io.dockwatch.source;

import java.util.regex.Pattern;

/** Shell-style globs ({@code *}, {@code ?}) as regular expressions. */
public final class Globs {
    private Globs() {
    }

    /**
     * @param pathAware for file paths: {@code *} and {@code ?} stop at {@code /}, as in a shell;
     *                  for names and images ({@code nginx:*}) they match anything
     */
    public static Pattern compile(String glob, boolean pathAware) {
        String any = pathAware ? "[^/]" : ".";
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(any).append('*');
                case '?' -> re.append(any);
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
