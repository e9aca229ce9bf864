package dev.parley.app.ui.contacts;

import static dev.parley.app.ui.i18n.Texts.text;

import dev.parley.app.engine.api.ConnectionInfo;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.ContactStatus;
import dev.parley.app.ui.i18n.EngineErrors;
import dev.parley.crypto.InvalidInviteException;
import dev.parley.transport.multiformats.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import java.util.Optional;

/** How the contact screens put engine values into words. */
public final class ContactTexts {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM);
    /** Characters kept at each end of a shortened PeerId: enough to tell people apart at a glance. */
    private static final int SHORT_ID_END = 6;

    private ContactTexts() {
    }

    /** {@code 12D3Ko…x7Yq2A}: the ends of the base58 PeerId. */
    public static String shortId(PeerId peer) {
        String full = peer.toBase58();
        if (full.length() <= 2 * SHORT_ID_END + 1) {
            return full;
        }
        return full.substring(0, SHORT_ID_END) + "…" + full.substring(full.length() - SHORT_ID_END);
    }

    /**
     * What went wrong, as a sentence: the engine's message (written for a person) with a capital letter; for any
     * other failure its message, or its kind when it has none. Never a stack trace.
     */
    static String problem(Throwable error) {
        String message = EngineErrors.message(error);
        if (message == null || message.isBlank()) {
            message = text("error.couldNotDoThat", error.getClass().getSimpleName());
        }
        return message.substring(0, 1).toUpperCase(Locale.ROOT) + message.substring(1);
    }

    /**
     * Why an invite code was refused, in plain words with what to do about it ("This invite code is incomplete —
     * check that you copied all of it."), rather than what the decoder found (how many base32 characters were
     * left over). Other failures, such as the user's own code, read as {@link #problem} says.
     */
    static String inviteProblem(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidInviteException invalid) {
                return switch (invalid.reason()) {
                    case NOT_AN_INVITE -> text("invite.problem.notAnInvite");
                    case TOO_LONG -> text("invite.problem.tooLong");
                    case INCOMPLETE -> text("invite.problem.incomplete");
                    case MISTYPED -> text("invite.problem.mistyped");
                    case DAMAGED -> text("invite.problem.damaged");
                };
            }
        }
        return problem(error);
    }

    /** Where the user stands with the peer. */
    static String state(ContactStatus state) {
        return switch (state) {
            case ACCEPTED -> text("contact.state.contact");
            case REQUEST -> text("contact.state.request");
            case BLOCKED -> text("contact.state.blocked");
        };
    }

    /**
     * "…and 280 more messages were dropped until you accept": a request keeps only its first messages (app/README.md,
     * "Requests and rates"); empty when none were dropped.
     */
    public static Optional<String> droppedMessages(ContactInfo request) {
        long dropped = request.droppedMessages();
        return dropped == 0 ? Optional.empty() : Optional.of(text("contact.droppedMessages", dropped));
    }

    /** "Online", "Last seen today at 14:32", or "Never connected". */
    static String presence(ContactInfo contact, Instant now, ZoneId zone) {
        if (contact.online()) {
            return text("contact.presence.online");
        }
        return contact.lastSeen().map(seen -> text("contact.presence.lastSeen", when(seen, now, zone)))
                .orElse(text("contact.presence.never"));
    }

    /** "Not connected (last seen yesterday at 09:10)". */
    static String notConnected(Optional<Instant> lastSeen, Instant now, ZoneId zone) {
        return lastSeen.map(seen -> text("contact.notConnected.lastSeen", when(seen, now, zone)))
                .orElse(text("contact.notConnected.never"));
    }

    /** "today at 14:32", "yesterday at 09:10", or the date and time. */
    static String when(Instant instant, Instant now, ZoneId zone) {
        ZonedDateTime at = instant.atZone(zone);
        LocalDate today = now.atZone(zone).toLocalDate();
        String time = at.format(TIME.withLocale(Locale.getDefault()));
        if (at.toLocalDate().equals(today)) {
            return text("time.todayAt", time);
        } else if (at.toLocalDate().equals(today.minusDays(1))) {
            return text("time.yesterdayAt", time);
        }
        return text("time.dateAt", at.format(DATE.withLocale(Locale.getDefault())), time);
    }

    static String path(ConnectionInfo.Path path) {
        return switch (path) {
            case LAN -> "LAN";
            case DIRECT -> text("connection.path.direct");
            case HOLE_PUNCHED -> text("connection.path.holePunched");
            case RELAYED -> text("connection.path.relayed");
        };
    }

    /** "0.4 ms" below 10 ms, where the tenth tells something; "23 ms" above. */
    static String roundTrip(Duration roundTrip) {
        double millis = roundTrip.toNanos() / 1e6;
        return millis < 10 ? String.format("%.1f ms", millis) : String.format("%d ms", Math.round(millis));
    }

    /** "LAN · 0.4 ms round trip", or "LAN · no answer to ping" when the peer did not answer one. */
    public static String connection(ConnectionInfo info) {
        return info.roundTrip().map(rtt -> text("connection.roundTrip", path(info.path()), roundTrip(rtt)))
                .orElse(text("connection.noPing", path(info.path())));
    }
}
