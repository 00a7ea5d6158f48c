package io.lockstep.domain;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every error code src/main can answer with is in {@link Problem}, with the same kind: throw sites
 * with a string code, the HTTP edge's own codes, and the store's reasons. A code outside the catalogue
 * would reach clients without a documented status or a {@code retryable} answer.
 */
class ThrownCodesAreCataloguedTest {
    private static final String KIND = "(?:io\\.lockstep\\.domain\\.)?ErrorKind\\.([A-Z_]+)";
    private static final String LITERAL = "\"([A-Z][A-Z0-9_]*)\"";
    /** new LockstepException(ErrorKind.X, "CODE" … */
    private static final Pattern CONSTRUCTED = Pattern.compile("LockstepException\\(\\s*" + KIND + ",\\s*" + LITERAL);
    /** LockstepException.invalid("CODE" … / notFound("CODE" … */
    private static final Pattern FACTORY = Pattern.compile("LockstepException\\.(invalid|notFound)\\(\\s*" + LITERAL);
    /** unknown(i, "field", "CODE", …) in the fleet report parser: always 422. */
    private static final Pattern REPORT_UNKNOWN = Pattern.compile("\\bunknown\\(i, \"\\w+\", " + LITERAL);
    /** Respond.error(ctx, 404, "CODE" … */
    private static final Pattern RESPONDED = Pattern.compile("Respond\\.error\\(ctx,\\s*(\\d{3}),\\s*" + LITERAL);
    /** ApiServer.codeFor: case 414 -> "URI_TOO_LONG" */
    private static final Pattern STATUS_CASE = Pattern.compile("case (\\d{3}) -> " + LITERAL);
    /** errorBody("CODE" …, CODE = "CODE", and the store's Reason("CODE", … */
    private static final Pattern CODE_ONLY = Pattern.compile("(?:errorBody\\(|String CODE = |^\\s+[A-Z_]+\\()" + LITERAL,
            Pattern.MULTILINE);
    /** A site converted to the catalogue: new LockstepException(Problem.X, … / new Refusal(Problem.X, … */
    private static final Pattern FROM_CATALOGUE = Pattern.compile(
            "new (?:LockstepException|Refusal)\\(\\s*(?:io\\.lockstep\\.domain\\.)?Problem\\.([A-Z_]+)\\s*,");
    private static final Map<String, ErrorKind> FACTORY_KIND = Map.of("invalid", ErrorKind.INVALID,
            "notFound", ErrorKind.NOT_FOUND);

    record Site(String file, String code, ErrorKind kind) {
    }

    static List<Site> sites(Path file, String text) {
        List<Site> found = new ArrayList<>();
        String f = file.toString();
        for (Matcher m = CONSTRUCTED.matcher(text); m.find(); ) {
            found.add(new Site(f, m.group(2), ErrorKind.valueOf(m.group(1))));
        }
        for (Matcher m = FACTORY.matcher(text); m.find(); ) {
            found.add(new Site(f, m.group(2), FACTORY_KIND.get(m.group(1))));
        }
        for (Matcher m = FROM_CATALOGUE.matcher(text); m.find(); ) {
            Problem p = Problem.valueOf(m.group(1));
            found.add(new Site(f, p.code(), p.kind()));
        }
        for (Matcher m = REPORT_UNKNOWN.matcher(text); m.find(); ) {
            found.add(new Site(f, m.group(1), ErrorKind.UNPROCESSABLE));
        }
        for (Matcher m = RESPONDED.matcher(text); m.find(); ) {
            found.add(new Site(f, m.group(2), kindOf(Integer.parseInt(m.group(1)))));
        }
        if (f.endsWith("ApiServer.java")) {
            for (Matcher m = STATUS_CASE.matcher(text); m.find(); ) {
                found.add(new Site(f, m.group(2), kindOf(Integer.parseInt(m.group(1)))));
            }
        }
        if (f.endsWith("StoreUnavailableException.java") || f.contains("/http/")) {
            for (Matcher m = CODE_ONLY.matcher(text); m.find(); ) {
                found.add(new Site(f, m.group(1), null));
            }
        }
        return found;
    }

    private static ErrorKind kindOf(int status) {
        for (ErrorKind k : ErrorKind.values()) {
            if (k.httpStatus() == status) {
                return k;
            }
        }
        throw new AssertionError("no ErrorKind for HTTP " + status);
    }

    static List<Site> allSites() throws IOException {
        List<Site> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
                try {
                    all.addAll(sites(p, Files.readString(p)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return all;
    }

    @Test
    void everyCodeInSrcMainIsCataloguedWithItsKind() throws Exception {
        List<Site> sites = allSites();
        // About 90 throw sites plus the edge's codes: a scan finding few would be a broken scan.
        assertThat(sites).hasSizeGreaterThan(100);
        List<String> missing = new ArrayList<>();
        for (Site s : sites) {
            boolean known = Problem.withCode(s.code()).stream().anyMatch(p -> s.kind() == null || p.kind() == s.kind());
            if (!known) {
                missing.add(s.code() + " as " + s.kind() + " in " + s.file());
            }
        }
        assertThat(missing).as("codes thrown in src/main but missing from domain/Problem").isEmpty();
    }

    @Test
    void theScanReadsKindAndCodeAcrossLines() {
        List<Site> found = sites(Path.of("X.java"), """
                throw new LockstepException(
                        ErrorKind.UNPROCESSABLE, "DIGEST_NOT_IN_HISTORY", "x");
                throw LockstepException.invalid("INVALID_NAME", "y");
                Respond.error(ctx, 405, "METHOD_NOT_ALLOWED", "z", Map.of());
                """);
        assertThat(found).containsExactly(new Site("X.java", "DIGEST_NOT_IN_HISTORY", ErrorKind.UNPROCESSABLE),
                new Site("X.java", "INVALID_NAME", ErrorKind.INVALID),
                new Site("X.java", "METHOD_NOT_ALLOWED", ErrorKind.METHOD_NOT_ALLOWED));
    }

    @Test
    void noThrowSiteHidesItsCodeInAVariable() throws Exception {
        // A code passed as a variable would escape the scan. Since every public way to build the
        // exception takes a Problem (below), no site may pass a kind and a code at all.
        Pattern variable = Pattern.compile("new LockstepException\\(\\s*(?:io\\.lockstep\\.domain\\.)?ErrorKind\\.[A-Z_]+,"
                + "\\s*([a-z][\\w.()]*)\\s*,");
        List<String> hidden = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path p : files.filter(x -> x.toString().endsWith(".java")).toList()) {
                for (Matcher m = variable.matcher(Files.readString(p)); m.find(); ) {
                    hidden.add(p.getFileName() + ":" + m.group(1));
                }
            }
        }
        assertThat(hidden).isEmpty();
    }

    @Test
    void theOnlyWayToBuildAnErrorIsFromTheCatalogue() {
        // The compiler keeps codes in the catalogue: a public constructor taking a bare code would let a
        // throw site invent one.
        List<String> open = new ArrayList<>();
        for (java.lang.reflect.Constructor<?> c : LockstepException.class.getDeclaredConstructors()) {
            if (!java.lang.reflect.Modifier.isPrivate(c.getModifiers()) && c.getParameterTypes()[0] != Problem.class) {
                open.add(c.toString());
            }
        }
        assertThat(open).isEmpty();
        assertThat(LockstepException.class.getDeclaredMethods()).noneMatch(m -> java.lang.reflect.Modifier.isStatic(m.getModifiers())
                && m.getReturnType() == LockstepException.class);
    }
}
