package dev.parley.app.ui;

import dev.parley.app.ui.emoji.Emoji;
import java.awt.Color;
import java.awt.Cursor;
import java.awt.GraphicsEnvironment;
import java.awt.Insets;
import java.awt.KeyboardFocusManager;
import java.awt.dnd.DnDConstants;
import java.awt.dnd.DropTarget;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.net.URI;
import java.util.Optional;
import javax.swing.BorderFactory;
import javax.swing.JTextPane;
import javax.swing.text.AbstractDocument;
import javax.swing.text.AttributeSet;
import javax.swing.text.BadLocationException;
import javax.swing.text.DefaultStyledDocument;
import javax.swing.text.EditorKit;
import javax.swing.text.Element;
import javax.swing.text.LabelView;
import javax.swing.text.SimpleAttributeSet;
import javax.swing.text.StyleConstants;
import javax.swing.text.StyledDocument;
import javax.swing.text.StyledEditorKit;
import javax.swing.text.View;
import javax.swing.text.ViewFactory;

/**
 * A message's text in a bubble: selectable and copyable like any text, not editable, links underlined and opened
 * in the browser on a click, emoji drawn from the colour emoji font. Words longer than the bubble is wide (a long
 * link) wrap between any two characters instead of being cut off. A long message shows only its start until
 * {@link #setExpanded expanded}.
 */
final class MessageText extends JTextPane {
    /** A message longer than this many characters shows collapsed at first (about a screenful of text). */
    static final int COLLAPSED_CHARACTERS = 2_000;
    /** A message of more lines than this shows collapsed at first. */
    static final int COLLAPSED_LINES = 30;
    /** How far back from the cut a collapsed text looks for the end of a word. */
    private static final int WORD_LOOKBACK = 40;

    /** The character attribute that marks a link's characters; its value is the link's URI. */
    private static final Object LINK = new Object() {
        @Override
        public String toString() {
            return "link";
        }
    };

    private final String text;
    /** What shows while collapsed: the start of a long text and "…"; the whole text when it is short. */
    private final String start;
    private boolean expanded;
    private Color linkColour;

    MessageText(String text) {
        this.text = text;
        this.start = startOf(text);
        setEditable(false);
        setOpaque(false);
        setBorder(BorderFactory.createEmptyBorder());
        setMargin(new Insets(0, 0, 0, 0));
        // Files dropped on a bubble go to the conversation around it: a drop target that is not active lets them
        // through, and, being no UIResource, is kept when the theme changes.
        if (!GraphicsEnvironment.isHeadless()) {
            new DropTarget(this, DnDConstants.ACTION_NONE, null, false);
        }
        // Tab and Shift+Tab move on, as everywhere outside the composer; a text pane would type (here: swallow) a tab.
        setFocusTraversalKeys(KeyboardFocusManager.FORWARD_TRAVERSAL_KEYS, null);
        setFocusTraversalKeys(KeyboardFocusManager.BACKWARD_TRAVERSAL_KEYS, null);
        MouseAdapter links = new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent event) {
                if (event.getButton() == MouseEvent.BUTTON1 && getSelectionStart() == getSelectionEnd()) {
                    linkAt(event).ifPresent(uri -> Links.open(uri, MessageText.this));
                }
            }

            @Override
            public void mouseMoved(MouseEvent event) {
                setCursor(linkAt(event).isPresent() ? Cursor.getPredefinedCursor(Cursor.HAND_CURSOR)
                        : Cursor.getPredefinedCursor(Cursor.TEXT_CURSOR));
            }
        };
        addMouseListener(links);
        addMouseMotionListener(links);
    }

    /**
     * The text pane's kit from its construction: set afterwards, it made and laid out a second empty document for
     * every row, a fifth of what a row cost to make when a conversation opened.
     */
    @Override
    protected EditorKit createDefaultEditorKit() {
        return new WrappingEditorKit();
    }

    /** Sets the colours and fills the document; again after a theme change. */
    void style(Color foreground, Color links) {
        if (foreground.equals(getForeground()) && links.equals(linkColour) && getDocument().getLength() > 0) {
            return;
        }
        setForeground(foreground);
        linkColour = links;
        fill();
    }

    /** Whether the text is long enough to show collapsed at first. */
    boolean collapsible() {
        return start.length() < text.length();
    }

    boolean expanded() {
        return expanded || !collapsible();
    }

    /** Shows the whole text, or again only its start. */
    void setExpanded(boolean whole) {
        if (whole != expanded && collapsible()) {
            expanded = whole;
            if (linkColour != null) {
                fill();
            }
        }
    }

    /**
     * The start of a long text: at most {@link #COLLAPSED_CHARACTERS} and {@link #COLLAPSED_LINES} lines, cut after
     * a word where one ends near the limit (else between two characters), and "…"; a short text as it is.
     */
    static String startOf(String text) {
        int end = Math.min(text.length(), COLLAPSED_CHARACTERS);
        int newline = -1;
        for (int lines = 0; lines < COLLAPSED_LINES && newline < end; lines++) {
            newline = text.indexOf('\n', newline + 1);
            if (newline < 0) {
                break;
            }
        }
        if (newline >= 0 && newline < end) {
            return text.substring(0, newline).stripTrailing() + "…";
        }
        if (end == text.length()) {
            return text;
        }
        int space = text.lastIndexOf(' ', end);
        if (space > end - WORD_LOOKBACK && space > 0) {
            end = space;
        } else if (Character.isLowSurrogate(text.charAt(end))) {
            end--;
        }
        return text.substring(0, end).stripTrailing() + "…";
    }

    private void fill() {
        boolean whole = expanded();
        String shown = whole ? text : start;
        StyledDocument document = new DefaultStyledDocument();
        try {
            document.insertString(0, shown, null);
        } catch (BadLocationException e) {
            throw new IllegalStateException("inserting at 0 of an empty document", e);
        }
        // A link cut by the collapse would open a shorter address: it shows as text until expanded.
        for (Links.Link link : Links.find(text).stream()
                .filter(link -> whole || link.end() < start.length() - 1).toList()) {
            SimpleAttributeSet attributes = new SimpleAttributeSet();
            StyleConstants.setUnderline(attributes, true);
            StyleConstants.setForeground(attributes, linkColour);
            attributes.addAttribute(LINK, link.uri());
            document.setCharacterAttributes(link.start(), link.end() - link.start(), attributes, false);
        }
        Emoji.mark(document, shown, getFont().getSize2D());
        setDocument(document);
    }

    String text() {
        return text;
    }

    /** The styled text kit, whose text breaks between letters where a word is wider than the line. */
    private static final class WrappingEditorKit extends StyledEditorKit {
        @Override
        public ViewFactory getViewFactory() {
            ViewFactory styled = super.getViewFactory();
            return element -> AbstractDocument.ContentElementName.equals(element.getName())
                    ? new LabelView(element) {
                        /** No minimum width: the paragraph may then break a word that fits no line whole. */
                        @Override
                        public float getMinimumSpan(int axis) {
                            return axis == View.X_AXIS ? 0 : super.getMinimumSpan(axis);
                        }
                    }
                    : styled.create(element);
        }
    }

    private Optional<URI> linkAt(MouseEvent event) {
        return linkAt(viewToModel2D(event.getPoint()));
    }

    /** The link at character {@code offset} of the shown text, if one is there. */
    Optional<URI> linkAt(int offset) {
        if (offset < 0) {
            return Optional.empty();
        }
        Element run = ((StyledDocument) getDocument()).getCharacterElement(offset);
        AttributeSet attributes = run.getAttributes();
        return attributes.getAttribute(LINK) instanceof URI uri ? Optional.of(uri) : Optional.empty();
    }
}
