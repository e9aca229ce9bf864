package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FtsQueryTest {
    @Test
    void everyWordIsQuotedInnerQuotesDoubledAndOnlyBodiesSearched() {
        assertThat(FtsQuery.fromUserText("  hello   world ")).contains("body : (\"hello\" \"world\")");
        assertThat(FtsQuery.fromUserText("say \"hi")).contains("body : (\"say\" \"\"\"hi\")");
        assertThat(FtsQuery.fromUserText("a AND b*")).contains("body : (\"a\" \"AND\" \"b*\")");
    }

    @Test
    void textWithoutLettersOrDigitsIsNoQuery() {
        assertThat(FtsQuery.fromUserText("")).isEmpty();
        assertThat(FtsQuery.fromUserText(" \" * ( ) - ")).isEmpty();
        assertThat(FtsQuery.fromUserText("* 7")).contains("body : (\"7\")");
    }

    @Test
    void aConversationIsMatchedAsAPhraseOfItsIdUnlessItHasNothingToMatch() {
        assertThat(FtsQuery.withinConversation("body : (\"x\")", "chat \"7\""))
                .contains("conversation_id : \"chat \"\"7\"\"\" AND body : (\"x\")");
        assertThat(FtsQuery.withinConversation("body : (\"x\")", "--")).isEmpty();
    }
}
