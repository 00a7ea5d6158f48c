package io.lockstep.domain;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The error table in docs/api.md and the {@link Problem} catalogue say the same thing. */
class ErrorCatalogueDocsTest {
    private static final Pattern ROW = Pattern.compile("^\\| (\\d{3}) \\| (.*) \\|$");
    private static final Pattern CODE = Pattern.compile("`([A-Z][A-Z0-9_]*)`");

    static Set<String> documented(String markdown) {
        String section = markdown.substring(markdown.indexOf("## Errors"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        Set<String> pairs = new TreeSet<>();
        for (String line : section.split("\n")) {
            Matcher row = ROW.matcher(line.strip());
            if (row.matches()) {
                Matcher code = CODE.matcher(row.group(2));
                while (code.find()) {
                    pairs.add(row.group(1) + " " + code.group(1));
                }
            }
        }
        return pairs;
    }

    static Set<String> catalogued() {
        return Arrays.stream(Problem.values()).map(p -> p.kind().httpStatus() + " " + p.code())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyCatalogueEntryIsInTheTableWithItsStatusAndNothingElseIs() throws Exception {
        Set<String> documented = documented(Files.readString(Path.of("docs/api.md")));
        assertThat(documented).as("docs/api.md error table").hasSizeGreaterThan(30);
        assertThat(documented).as("status + code in docs/api.md but not in domain/Problem")
                .isSubsetOf(catalogued());
        assertThat(catalogued()).as("status + code in domain/Problem but not in docs/api.md")
                .isSubsetOf(documented);
    }

    @Test
    void theTableParserSeesARowsCodesAndNothingElse() {
        Set<String> pairs = documented("## Errors\n\n| status | codes |\n|---|---|\n"
                + "| 409 | `FENCED` (+ `retry_after_seconds`, `Retry-After: 2`), `DIGEST_CONFLICT` |\n\n## Next\n| 400 | `X` |\n");
        assertThat(pairs).containsExactly("409 DIGEST_CONFLICT", "409 FENCED");
    }
}
