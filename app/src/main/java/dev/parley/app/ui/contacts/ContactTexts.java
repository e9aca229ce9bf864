package dev.parley.app.ui.contacts;

import dev.parley.app.engine.api.ConnectionInfo;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.ContactStatus;
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
    static String shortId(PeerId peer) {
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
        String message = error.getMessage();
        if (message == null || message.isBlank()) {
            message = "Parley could not do that (" + error.getClass().getSimpleName() + ")";
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
                    case NOT_AN_INVITE -> "This is not a Parley invite code: an invite code starts with “parley:”."
                            + " Copy the whole code they sent you.";
                    case TOO_LONG -> "This text is too long to be an invite code. Paste only the code they sent"
                            + " you.";
                    case INCOMPLETE -> "This invite code is incomplete — check that you copied all of it.";
                    case MISTYPED -> "This invite code has a typo or a missing piece — copy it again, all of it,"
                            + " from where they sent it.";
                    case DAMAGED -> "This invite code is damaged and cannot be used — ask them to send it again.";
                };
            }
        }
        return problem(error);
    }

    /** Where the user stands with the peer. */
    static String state(ContactStatus state) {
        return switch (state) {
            case ACCEPTED -> "Contact";
            case REQUEST -> "Message request: they wrote to you first";
            case BLOCKED -> "Blocked";
        };
    }

    /**
     * "…and 280 more messages were dropped until you accept": a request keeps only its first messages (app/README.md,
     * "Requests and rates"); empty when none were dropped.
     */
    public static Optional<String> droppedMessages(ContactInfo request) {
        long dropped = request.droppedMessages();
        return dropped == 0 ? Optional.empty() : Optional.of("…and " + dropped + " more "
                + (dropped == 1 ? "message was" : "messages were") + " dropped until you accept");
    }

    /** "Online", "Last seen today at 14:32", or "Never connected". */
    static String presence(ContactInfo contact, Instant now, ZoneId zone) {
        if (contact.online()) {
            return "Online";
        }
        return contact.lastSeen().map(seen -> "Last seen " + when(seen, now, zone)).orElse("Never connected");
    }

    /** "Not connected (last seen yesterday at 09:10)". */
    static String notConnected(Optional<Instant> lastSeen, Instant now, ZoneId zone) {
        return "Not connected (" + lastSeen.map(seen -> "last seen " + when(seen, now, zone)).orElse("never seen") + ")";
    }

    /** "today at 14:32", "yesterday at 09:10", or the date and time. */
    static String when(Instant instant, Instant now, ZoneId zone) {
        ZonedDateTime at = instant.atZone(zone);
        LocalDate today = now.atZone(zone).toLocalDate();
        String day;
        if (at.toLocalDate().equals(today)) {
            day = "today";
        } else if (at.toLocalDate().equals(today.minusDays(1))) {
            day = "yesterday";
        } else {
            day = at.format(DATE);
        }
        return day + " at " + at.format(TIME);
    }

    static String path(ConnectionInfo.Path path) {
        return switch (path) {
            case LAN -> "LAN";
            case DIRECT -> "Direct";
            case HOLE_PUNCHED -> "Direct (hole-punched)";
            case RELAYED -> "Relayed";
        };
    }

    /** "0.4 ms" below 10 ms, where the tenth tells something; "23 ms" above. */
    static String roundTrip(Duration roundTrip) {
        double millis = roundTrip.toNanos() / 1e6;
        return millis < 10 ? String.format("%.1f ms", millis) : String.format("%d ms", Math.round(millis));
    }

    /** "LAN · 0.4 ms round trip", or "LAN · no answer to ping" when the peer did not answer one. */
    public static String connection(ConnectionInfo info) {
        return path(info.path()) + " · " + info.roundTrip().map(rtt -> roundTrip(rtt) + " round trip")
                .orElse("no answer to ping");
    }
}
