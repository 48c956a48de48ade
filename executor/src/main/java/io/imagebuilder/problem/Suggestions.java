package io.imagebuilder.problem;

import java.util.Collection;

/** "Did you mean" hints for misspelt names. */
public final class Suggestions {

    private Suggestions() {
    }

    /** A hint such as {@code "; did you mean \"compute\"?"}, or an empty string when nothing is close. */
    public static String didYouMean(String wrong, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(wrong.toLowerCase(), candidate.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        // one slip in a short name, more in longer ones: "host" is not a misspelling of "port"
        int limit = Math.max(1, Math.min(3, wrong.length() / 3));
        return best != null && bestDistance <= limit ? "; did you mean \"" + best + "\"?" : "";
    }

    /** Edits between two names; swapping two neighbouring letters ("hots" for "host") counts as one. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i][j - 1] + 1, d[i - 1][j] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
