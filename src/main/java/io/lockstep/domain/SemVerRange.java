package io.lockstep.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semver constraint: comparators separated by spaces are ANDed ({@code >=0.3.0 <0.4.0}), {@code ||}
 * separates alternatives. Operators {@code = > >= < <=}, {@code ~1.2} (patch updates), {@code ^1.2.3}
 * (no major change; below 1.0 no minor change), and {@code 1.x} / {@code 1.2.*} wildcards. Missing
 * minor or patch count as 0. As in npm and Masterminds/semver, a pre-release only satisfies a
 * range when a comparator names a pre-release of the same major.minor.patch, so {@code >=1.0.0} does
 * not pick up {@code 1.1.0-rc.1} by accident.
 */
public final class SemVerRange {
    private static final Pattern COMPARATOR = Pattern.compile("^(>=|<=|>|<|=|~|\\^)?\\s*[vV]?(\\d+|[xX*])(?:\\.(\\d+|[xX*]))?(?:\\.(\\d+|[xX*]))?(-[0-9A-Za-z.-]+)?$");

    private record Comparator(String op, SemVer version) {
        boolean test(SemVer v) {
            int c = v.compareTo(version);
            return switch (op) {
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                default -> c == 0;
            };
        }
    }

    private final String text;
    private final List<List<Comparator>> alternatives;

    private SemVerRange(String text, List<List<Comparator>> alternatives) {
        this.text = text;
        this.alternatives = alternatives;
    }

    /** @throws IllegalArgumentException naming the part that is not a comparator */
    public static SemVerRange parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("semver constraint is empty");
        }
        List<List<Comparator>> alternatives = new ArrayList<>();
        for (String alt : text.split("\\|\\|")) {
            List<Comparator> all = new ArrayList<>();
            // ">= 1.2" is one comparator written with a space: glue operators to their version first.
            String glued = alt.trim().replaceAll("(>=|<=|>|<|=|~|\\^)\\s+", "$1");
            if (glued.isEmpty()) {
                throw new IllegalArgumentException("semver constraint '" + text + "' has an empty alternative");
            }
            for (String part : glued.split("\\s+")) {
                all.addAll(comparators(part, text));
            }
            alternatives.add(all);
        }
        return new SemVerRange(text, alternatives);
    }

    public boolean test(SemVer v) {
        for (List<Comparator> all : alternatives) {
            if (all.stream().allMatch(c -> c.test(v)) && (!v.isPreRelease() || all.stream().anyMatch(c ->
                    c.version.isPreRelease() && c.version.major().equals(v.major()) && c.version.minor().equals(v.minor())
                            && c.version.patch().equals(v.patch())))) {
                return true;
            }
        }
        return false;
    }

    private static List<Comparator> comparators(String part, String whole) {
        Matcher m = COMPARATOR.matcher(part);
        if (!m.matches()) {
            throw new IllegalArgumentException("semver constraint '" + whole + "': cannot read '" + part
                    + "' (use e.g. >=0.3.0 <0.4.0, ~1.2, ^1.2.3, 1.x)");
        }
        String op = m.group(1) == null ? "=" : m.group(1);
        String maj = m.group(2);
        String min = m.group(3);
        String pat = m.group(4);
        String pre = m.group(5);
        if (isWild(maj)) {
            return List.of(); // "*": anything
        }
        int precision = isWild(min) || min == null ? 1 : isWild(pat) || pat == null ? 2 : 3;
        SemVer base = version(maj, precision >= 2 ? min : "0", precision >= 3 ? pat : "0", precision == 3 ? pre : null, whole);
        switch (op) {
            case "~":
                return range(base, precision == 1 ? bump(base, 0) : bump(base, 1));
            case "^": {
                int at = base.major().signum() != 0 || precision == 1 ? 0
                        : base.minor().signum() != 0 || precision == 2 ? 1 : 2;
                return range(base, bump(base, at));
            }
            case "=":
                return precision == 3 ? List.of(new Comparator("=", base)) : range(base, bump(base, precision - 1));
            case ">":
                return precision == 3 ? List.of(new Comparator(">", base)) : List.of(new Comparator(">=", bump(base, precision - 1)));
            case "<=":
                return precision == 3 ? List.of(new Comparator("<=", base)) : List.of(new Comparator("<", bump(base, precision - 1)));
            default:
                return List.of(new Comparator(op, base)); // >= and < on a partial version read missing parts as 0
        }
    }

    private static List<Comparator> range(SemVer from, SemVer below) {
        return List.of(new Comparator(">=", from), new Comparator("<", below));
    }

    /** The smallest version above every version with the same first {@code position + 1} numbers. */
    private static SemVer bump(SemVer v, int position) {
        java.math.BigInteger one = java.math.BigInteger.ONE;
        java.math.BigInteger zero = java.math.BigInteger.ZERO;
        return switch (position) {
            case 0 -> new SemVer(v.major().add(one), zero, zero, List.of("0"));
            case 1 -> new SemVer(v.major(), v.minor().add(one), zero, List.of("0"));
            default -> new SemVer(v.major(), v.minor(), v.patch().add(one), List.of("0"));
        };
    }

    private static SemVer version(String maj, String min, String pat, String pre, String whole) {
        return SemVer.parse(maj + "." + min + "." + pat + (pre == null ? "" : pre))
                .orElseThrow(() -> new IllegalArgumentException("semver constraint '" + whole + "' names an invalid version"));
    }

    private static boolean isWild(String s) {
        return s != null && (s.equals("x") || s.equals("X") || s.equals("*"));
    }

    @Override
    public String toString() {
        return text;
    }
}
