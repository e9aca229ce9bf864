package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FtsQueryTest {
    @Test
    void everyWordIsQuotedAndInnerQuotesDoubled() {
        assertThat(FtsQuery.fromUserText("  hello   world ")).contains("\"hello\" \"world\"");
        assertThat(FtsQuery.fromUserText("say \"hi")).contains("\"say\" \"\"\"hi\"");
        assertThat(FtsQuery.fromUserText("a AND b*")).contains("\"a\" \"AND\" \"b*\"");
    }

    @Test
    void textWithoutLettersOrDigitsIsNoQuery() {
        assertThat(FtsQuery.fromUserText("")).isEmpty();
        assertThat(FtsQuery.fromUserText(" \" * ( ) - ")).isEmpty();
        assertThat(FtsQuery.fromUserText("* 7")).contains("\"7\"");
    }
}
