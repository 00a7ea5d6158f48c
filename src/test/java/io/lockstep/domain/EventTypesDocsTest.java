package io.lockstep.domain;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every event type a subscription may name has its row in the table of docs/events.md. */
class EventTypesDocsTest {
    @Test
    void everyEventTypeHasARowInTheDocs() throws Exception {
        String docs = Files.readString(Path.of("docs/events.md"));
        for (String type : Event.TYPES) {
            assertThat(docs).as(type).containsPattern("(?m)^\\| `" + java.util.regex.Pattern.quote(type) + "`");
        }
    }
}
