package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FtsQueryTest {
    @Test
    void everyWordIsQuotedInnerQuotesDoubledAndOnlyBodiesSearched() {
        assertThat(FtsQuery.fromUserText("  hello   world ")).contains("body : (\"hello\" \"world\")");
        assertThat(FtsQuery.fromUserText("say \"hi ")).contains("body : (\"say\" \"\"\"hi\")");
        assertThat(FtsQuery.fromUserText("a AND b* ")).contains("body : (\"a\" \"AND\" \"b*\")");
    }

    @Test
    void theLastWordIsAPrefixUnlessASpaceEndsIt() {
        assertThat(FtsQuery.fromUserText("hello wor")).contains("body : (\"hello\" \"wor\"*)");
        assertThat(FtsQuery.fromUserText("say \"hi")).contains("body : (\"say\" \"\"\"hi\"*)");
        assertThat(FtsQuery.fromUserText("hello wor\t")).contains("body : (\"hello\" \"wor\")");
        assertThat(FtsQuery.fromUserText("welc ...")).as("the last searchable word").contains("body : (\"welc\"*)");
    }

    @Test
    void textWithoutLettersOrDigitsIsNoQuery() {
        assertThat(FtsQuery.fromUserText("")).isEmpty();
        assertThat(FtsQuery.fromUserText(" \" * ( ) - ")).isEmpty();
        assertThat(FtsQuery.fromUserText("* 7")).contains("body : (\"7\"*)");
    }
}
