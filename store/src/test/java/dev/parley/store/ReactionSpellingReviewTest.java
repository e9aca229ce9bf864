package dev.parley.store;

import static dev.parley.store.TestData.ALICE;
import static dev.parley.store.TestData.CHAT;
import static dev.parley.store.TestData.ME;
import static dev.parley.store.TestData.T0;
import static dev.parley.store.TestData.addAliceChat;
import static dev.parley.store.TestData.fromAlice;
import static dev.parley.store.TestData.incoming;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.store.MessageActions.Outcome;
import dev.parley.store.MessageActions.PendingAction;
import dev.parley.store.MessageActions.PendingKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A third review's attacks on the promise "who can react: anyone in the conversation, once per emoji, with real
 * emoji only — never letters" (app README, Promises; store {@code EmojiSequence}), through the path a contact's
 * reaction takes ({@code MessageActions.take}) on a real SQLite file: a reaction that spells words.
 */
class ReactionSpellingReviewTest extends StoreOnDisk {
    private static final MessageKey TARGET = fromAlice("plan");

    @BeforeEach
    void aMessageFromAlice() {
        addAliceChat(store);
        store.messages().insert(incoming(CHAT, "plan", 100, "meet at 7"));
    }

    /**
     * Fixed (was broken). Promise: a reaction is one real emoji, never letters. The 26 regional indicators are letters (REGIONAL
     * INDICATOR SYMBOL LETTER A to Z); only the pairs that name a region are flags, and UTS #51 joins no flag with
     * ZERO WIDTH JOINER. {@code EmojiSequence} takes any pair as a flag and lets pairs be joined, so a contact pins
     * words on our message: observed, every one below is APPLIED and shown as a reaction (they render as boxed
     * capital letters: "HELP", "SCAM LINK", "ZZ").
     */
    @Test
    void aReactionSpelledInRegionalIndicatorLettersIsRefused() {
        List<String> words = List.of(letters("ZZ"), letters("HE") + "\u200D" + letters("LP"),
                letters("SC") + "\u200D" + letters("AM") + "\u200D" + letters("LI") + "\u200D" + letters("NK"));
        List<String> taken = new ArrayList<>();
        int clock = 200;
        for (String word : words) {
            try {
                if (store.actions().take(new PendingAction(TARGET, ME, "r" + clock, PendingKind.REACT, clock++, word,
                        T0)) == Outcome.APPLIED) {
                    taken.add(word);
                }
            } catch (InvalidInputException refused) {
                // What the promise wants.
            }
        }
        assertThat(taken).as("reactions that are words, not emoji").isEmpty();
        assertThat(store.actions().extras(List.of(TARGET)).get(TARGET).reactions()).isEmpty();
    }

    /**
     * Holds. Letters or hidden text smuggled beside a real emoji — a presentation selector on a letter, a letter
     * joined to an emoji, a second selector or skin tone, a tag sequence spelling "hi", bidi controls, two flags
     * with no joiner — are refused, while real flags and a family are taken.
     */
    @Test
    void lettersAndHiddenTextBesideARealEmojiAreRefused() {
        List<String> smuggled = List.of("a\uFE0F", "👍\u200Da", "👍\uFE0F\uFE0F", "👍🏽🏽", "\uFE0F👍",
                "🏴" + tags("hi") + "\uDB40\uDC7F", "\u2066👍\u2069", "👍\u202E", "\u20E3", letters("DE") + letters("FR"),
                "👍\u00AD", "☺a");
        List<String> taken = new ArrayList<>();
        int clock = 300;
        for (String text : smuggled) {
            try {
                store.actions().take(new PendingAction(TARGET, ME, "s" + clock, PendingKind.REACT, clock++, text, T0));
                taken.add(text);
            } catch (InvalidInputException refused) {
                // Refused, as promised.
            }
        }
        assertThat(taken).as("smuggled text taken as a reaction").isEmpty();
        for (String emoji : List.of(letters("DE"), letters("JP"), "👩‍👩‍👧", "🏴󠁧󠁢󠁷󠁬󠁳󠁿")) {
            assertThat(store.actions().take(new PendingAction(TARGET, ALICE, "e" + clock, PendingKind.REACT, clock++,
                    emoji, T0))).as(emoji).isEqualTo(Outcome.APPLIED);
        }
    }

    /** {@code word} in regional indicator symbols, letter for letter. */
    private static String letters(String word) {
        StringBuilder indicators = new StringBuilder();
        word.chars().forEach(letter -> indicators.appendCodePoint(0x1F1E6 + letter - 'A'));
        return indicators.toString();
    }

    /** {@code word} in invisible tag characters. */
    private static String tags(String word) {
        StringBuilder tags = new StringBuilder();
        word.chars().forEach(letter -> tags.appendCodePoint(0xE0000 + letter));
        return tags.toString();
    }
}
