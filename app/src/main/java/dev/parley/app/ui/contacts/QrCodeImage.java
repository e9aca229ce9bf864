package dev.parley.app.ui.contacts;

import com.formdev.flatlaf.util.UIScale;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.EncodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.util.List;
import java.util.Map;
import javax.accessibility.AccessibleContext;
import javax.accessibility.AccessibleRole;
import javax.swing.JComponent;

/**
 * A QR code of some text, drawn black on white with its quiet zone whatever the look and feel, and with every
 * module a whole number of device pixels (also on HiDPI screens), so that a phone's camera reads it off the screen.
 */
final class QrCodeImage extends JComponent {
    /** The four-module margin the QR specification asks for; scanners need it to find the code on a dark window. */
    static final int QUIET_ZONE = 4;
    /**
     * Error correction levels tried in turn: M, the usual balance, then Q and L for the few texts whose M code a
     * reader's detector cannot find (zxing's missed some 2–4 % of invite codes drawn perfectly at 4 pixels a module).
     */
    private static final List<ErrorCorrectionLevel> LEVELS = List.of(ErrorCorrectionLevel.M, ErrorCorrectionLevel.Q,
            ErrorCorrectionLevel.L);
    /** Pixels a module when the code is read back before it is shown. */
    private static final int CHECK_PIXELS = 4;

    private final BitMatrix modules;
    private final int modulePixels;

    /**
     * @param modulePixels the side of one module at 100 % scale, for the preferred size
     * @throws IllegalArgumentException when the text is too long for any QR code
     */
    QrCodeImage(String text, int modulePixels, String accessibleName) {
        this.modules = encode(text);
        this.modulePixels = modulePixels;
        getAccessibleContext().setAccessibleName(accessibleName);
    }

    /** The code of {@code text} at the first of {@link #LEVELS} that a reader reads back; at M if none does. */
    private static BitMatrix encode(String text) {
        BitMatrix first = null;
        for (ErrorCorrectionLevel level : LEVELS) {
            BitMatrix modules;
            try {
                // Width and height 0: one matrix cell per module, quiet zone included.
                modules = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                        Map.of(EncodeHintType.ERROR_CORRECTION, level, EncodeHintType.MARGIN, QUIET_ZONE));
            } catch (WriterException e) {
                throw new IllegalArgumentException("text of " + text.length() + " characters does not fit a QR code: "
                        + e.getMessage(), e);
            }
            if (first == null) {
                first = modules;
            }
            if (readsBack(modules, text)) {
                return modules;
            }
        }
        return first;
    }

    /** Whether {@code modules}, drawn black on white, read back as {@code text}. */
    static boolean readsBack(BitMatrix modules, String text) {
        int side = modules.getWidth() * CHECK_PIXELS;
        int[] pixels = new int[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                pixels[y * side + x] = modules.get(x / CHECK_PIXELS, y / CHECK_PIXELS) ? 0xFF000000 : 0xFFFFFFFF;
            }
        }
        try {
            return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(side, side,
                    pixels))), Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText().equals(text);
        } catch (ReaderException e) {
            return false;
        }
    }

    /** The modules drawn, quiet zone included (for tests). */
    BitMatrix modules() {
        return modules;
    }

    /** Modules across, quiet zone included. */
    int modulesAcross() {
        return modules.getWidth();
    }

    @Override
    public Dimension getPreferredSize() {
        if (isPreferredSizeSet()) {
            return super.getPreferredSize();
        }
        int side = UIScale.scale(modulePixels * modulesAcross());
        return new Dimension(side, side);
    }

    @Override
    public Dimension getMinimumSize() {
        return getPreferredSize();
    }

    @Override
    protected void paintComponent(Graphics g) {
        Graphics2D device = (Graphics2D) g.create();
        try {
            AffineTransform toDevice = device.getTransform();
            double scaleX = toDevice.getScaleX();
            double scaleY = toDevice.getScaleY();
            int n = modulesAcross();
            int module = Math.max(1, (int) Math.floor(Math.min(getWidth() * scaleX, getHeight() * scaleY) / n));
            int side = module * n;
            int left = (int) Math.round(toDevice.getTranslateX() + (getWidth() * scaleX - side) / 2);
            int top = (int) Math.round(toDevice.getTranslateY() + (getHeight() * scaleY - side) / 2);
            // Paint in device pixels: a fractional UI scale would otherwise blur module edges.
            device.setTransform(new AffineTransform());
            device.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            // Fixed colours on purpose: scanners expect dark modules on a light ground, also in dark mode.
            device.setColor(Color.WHITE);
            device.fillRect(left, top, side, side);
            device.setColor(Color.BLACK);
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    if (modules.get(x, y)) {
                        device.fillRect(left + x * module, top + y * module, module, module);
                    }
                }
            }
        } finally {
            device.dispose();
        }
    }

    @Override
    public AccessibleContext getAccessibleContext() {
        if (accessibleContext == null) {
            accessibleContext = new AccessibleJComponent() {
                @Override
                public AccessibleRole getAccessibleRole() {
                    return AccessibleRole.ICON;
                }
            };
        }
        return accessibleContext;
    }
}
