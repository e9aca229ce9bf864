package dev.parley.app.ui;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ChatNotice;
import dev.parley.app.ui.i18n.Texts;

/**
 * A 1:1 conversation's notice lines ("Secure session renewed") in the window's language: the engine gives what
 * happened ({@link ChatMessage#notice}) beside its English sentence, and the window words it itself.
 */
final class ChatNotices {
    private ChatNotices() {
    }

    /** The sentence {@code notice} shows. */
    static String text(ChatNotice notice) {
        return switch (notice) {
            case SESSION_RENEWED -> Texts.text("conversation.notice.sessionRenewed");
        };
    }

    /** {@code message} as the window shows it: a notice worded in its language, any other message as it is. */
    static ChatMessage worded(ChatMessage message) {
        return message.notice().map(notice -> message.withText(text(notice))).orElse(message);
    }
}
