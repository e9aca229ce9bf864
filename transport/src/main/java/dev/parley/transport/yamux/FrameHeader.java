package dev.parley.transport.yamux;

/**
 * The 12-byte header in front of every Yamux frame, all fields big endian:
 *
 * <pre>
 *  byte 0          1               2               3
 *  +---------------+---------------+---------------+---------------+
 *  |  version (0)  |     type      |             flags             |
 *  +---------------+---------------+---------------+---------------+
 *  |                    stream id (unsigned 32)                    |
 *  +---------------+---------------+---------------+---------------+
 *  |                      length (unsigned 32)                     |
 *  +---------------+---------------+---------------+---------------+
 *  |  payload: `length` bytes, DATA frames only ...
 *  +---------------
 *
 *  type   0 DATA   1 WINDOW_UPDATE   2 PING   3 GO_AWAY
 *  flags  0x1 SYN  0x2 ACK  0x4 FIN  0x8 RST
 *  length DATA: payload size; WINDOW_UPDATE: window increment;
 *         PING: opaque value echoed back; GO_AWAY: {@link GoAwayCode}
 * </pre>
 *
 * Stream 0 is the session itself (PING and GO_AWAY); the dialer opens odd stream ids, the listener even ones.
 *
 * @param streamId an unsigned 32-bit id held in an int's bits
 * @param length   0 to 2<sup>32</sup>-1
 */
record FrameHeader(FrameType type, int flags, int streamId, long length) {
    static final int LENGTH = 12;
    static final int VERSION = 0;

    static final int SYN = 0x1;
    static final int ACK = 0x2;
    static final int FIN = 0x4;
    static final int RST = 0x8;

    static final int SESSION_STREAM_ID = 0;
    static final long MAX_LENGTH = 0xFFFF_FFFFL;

    /**
     * The largest DATA payload we send: header and payload together fill one Noise transport message
     * (65535 bytes less the 16-byte tag), so each frame travels in exactly one Noise frame.
     */
    static final int MAX_DATA_LENGTH = 65_519 - LENGTH;

    FrameHeader {
        if ((flags & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("yamux flags 0x" + Integer.toHexString(flags) + " do not fit 16 bits");
        }
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("yamux length " + length + " does not fit 32 bits");
        }
    }

    static FrameHeader data(int streamId, int flags, int length) {
        return new FrameHeader(FrameType.DATA, flags, streamId, length);
    }

    static FrameHeader windowUpdate(int streamId, int flags, long delta) {
        return new FrameHeader(FrameType.WINDOW_UPDATE, flags, streamId, delta);
    }

    static FrameHeader ping(int flags, int opaque) {
        return new FrameHeader(FrameType.PING, flags, SESSION_STREAM_ID, Integer.toUnsignedLong(opaque));
    }

    static FrameHeader goAway(GoAwayCode code) {
        return new FrameHeader(FrameType.GO_AWAY, 0, SESSION_STREAM_ID, code.code());
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** The stream id as the unsigned number the wire carries, for messages. */
    long unsignedStreamId() {
        return Integer.toUnsignedLong(streamId);
    }

    void encode(byte[] dst, int offset) {
        dst[offset] = VERSION;
        dst[offset + 1] = (byte) type.code();
        dst[offset + 2] = (byte) (flags >>> 8);
        dst[offset + 3] = (byte) flags;
        putInt(dst, offset + 4, streamId);
        putInt(dst, offset + 8, (int) length);
    }

    static FrameHeader decode(byte[] src, int offset) throws YamuxProtocolException {
        int version = src[offset] & 0xFF;
        if (version != VERSION) {
            throw new YamuxProtocolException("unsupported yamux version " + version);
        }
        FrameType type = FrameType.fromCode(src[offset + 1] & 0xFF);
        int flags = ((src[offset + 2] & 0xFF) << 8) | (src[offset + 3] & 0xFF);
        int streamId = getInt(src, offset + 4);
        long length = Integer.toUnsignedLong(getInt(src, offset + 8));
        return new FrameHeader(type, flags, streamId, length);
    }

    private static void putInt(byte[] dst, int offset, int value) {
        dst[offset] = (byte) (value >>> 24);
        dst[offset + 1] = (byte) (value >>> 16);
        dst[offset + 2] = (byte) (value >>> 8);
        dst[offset + 3] = (byte) value;
    }

    private static int getInt(byte[] src, int offset) {
        return ((src[offset] & 0xFF) << 24) | ((src[offset + 1] & 0xFF) << 16)
                | ((src[offset + 2] & 0xFF) << 8) | (src[offset + 3] & 0xFF);
    }
}
